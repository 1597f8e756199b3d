using System.CommandLine;
using Modelgate.Cli.ConfigAsCode;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate drift modelgate.yaml</c>: what was changed on the server outside the file: objects the file names that
/// differ or are missing, and objects the file does not name. Exit 0: none; 1: drift; 2: an error. Keys whose reference
/// cannot be resolved here are not compared, so drift can run without the secrets.
/// </summary>
public static class DriftCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var path = new Argument<string>("file") { Description = "The configuration file, or a folder of them" };
        var command = new Command("drift", "Report changes made on the server outside a configuration file (exit 1 when any)") { path };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            var input = ConfigInput.Load(parsed.GetValue(path)!);
            var keys = await input.KeysForPlanAsync(cli);

            using var admin = cli.Connect(parsed);
            // Objects the file names that differ or are missing, and objects it does not name.
            var plan = await input.SendAsync(admin, "drift", input.Body(keys, prune: false), ct);
            var changes = PlanView.Changes(plan);
            await cli.Output(parsed).WriteAsync(plan, () => PlanView.Table(plan, ("missing on the server", "changed outside the file", "not in the file")));
            await cli.Error.WriteLineAsync(changes.Count == 0
                ? "No drift: the server matches the file."
                : $"Drift: {changes.Count} difference(s) from the file.");
            return changes.Count > 0 ? ExitCodes.DifferenceFound : ExitCodes.Success;
        }));
        return command;
    }
}
