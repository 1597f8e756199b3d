using System.CommandLine;
using Modelgate.Cli.ConfigAsCode;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate validate modelgate.yaml</c>: reads the file (or folder) and checks it: syntax, fields and types, and key
/// references here; and, when a server is configured (<c>--url</c>, <c>MODELGATE_URL</c> or a context), every value
/// against the server's rules without changing anything. Errors name file, line, column and field; exit 2 on any.
/// </summary>
public static class ValidateCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var path = new Argument<string>("file") { Description = "The configuration file, or a folder of them" };
        var offline = new Option<bool>("--offline") { Description = "Check only the file itself, without asking a server" };
        var command = new Command("validate", "Check a configuration file (with the server's rules when one is configured)") { path, offline };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            var input = ConfigInput.Load(parsed.GetValue(path)!);
            if (parsed.GetValue(offline) || !HasServer(cli, parsed))
            {
                await cli.Out.WriteLineAsync(
                    $"{input.Source.Name}: valid as a file (syntax, fields, types, key references). "
                    + "No server configured: the server's rules were not checked.");
                return ExitCodes.Success;
            }

            using var admin = cli.Connect(parsed);
            // Keys are not sent: the server checks the rest, and keeps whatever keys it has.
            var plan = await input.SendAsync(admin, "plan", input.Body(new Dictionary<string, string>(), prune: false), ct);
            var version = Output.JsonText.At(plan, "based_on_version");
            await cli.Out.WriteLineAsync($"{input.Source.Name}: valid (checked against {admin.Url}, catalog version {version}).");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static bool HasServer(CliRuntime cli, ParseResult parsed)
    {
        try
        {
            cli.Connection(parsed);
            return true;
        }
        catch (CliException)
        {
            return false;
        }
    }
}
