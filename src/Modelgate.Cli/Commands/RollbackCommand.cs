using System.CommandLine;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate rollback &lt;version&gt; --yes</c>: publishes a new version equal to an old one. Without
/// <c>--yes</c> it shows what the rollback would undo and changes nothing.
/// </summary>
public static class RollbackCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var version = new Argument<long>("version") { Description = "The version to go back to" };
        var yes = new Option<bool>("--yes") { Description = "Really publish the rollback" };
        var command = new Command("rollback", "Publish a new version equal to an earlier one") { version, yes };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var target = parsed.GetValue(version);
            if (!parsed.GetValue(yes))
            {
                // Reading the version's diff checks that it exists, so a typo is an error rather than a silent no.
                await admin.GetAsync($"config/versions/{target}/diff", ct);
                await cli.Error.WriteLineAsync(
                    $"Not rolled back: this would publish a new version equal to version {target}. Run again with --yes to do it.");
                return ExitCodes.Error;
            }

            var published = await admin.SendAsync(HttpMethod.Post, $"config/versions/{target}/rollback", null, ct);
            await cli.Output(parsed).WriteAsync(published, () => Tables.Of(["VERSION", "PUBLISHED", "BY", "SUMMARY"],
            [[
                JsonText.At(published, "version"), JsonText.At(published, "published_at"), JsonText.At(published, "actor"),
                JsonText.At(published, "summary"),
            ]]));
            return ExitCodes.Success;
        }));
        return command;
    }
}
