using System.CommandLine;
using Modelgate.Cli.ConfigAsCode;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate diff modelgate.yaml [--prune]</c>: what applying the file would create, change and delete on the server
/// (keys only as changed). Exit 0: no difference; 1: differences; 2: an error. A key whose reference cannot be resolved
/// here is not compared (said on stderr).
/// </summary>
public static class DiffCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var path = new Argument<string>("file") { Description = "The configuration file, or a folder of them" };
        var prune = new Option<bool>("--prune") { Description = "Also show what the file does not name, which apply --prune would delete" };
        var command = new Command("diff", "Show what applying a configuration file would change (exit 1 when something would)") { path, prune };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            var input = ConfigInput.Load(parsed.GetValue(path)!);
            var keys = await input.KeysForPlanAsync(cli);

            using var admin = cli.Connect(parsed);
            var plan = await input.SendAsync(admin, "plan", input.Body(keys, parsed.GetValue(prune)), ct);
            await cli.Output(parsed).WriteAsync(plan, () => PlanView.Table(plan, ("create", "change", "delete")));
            await cli.Error.WriteLineAsync(PlanView.Summary(plan));
            return PlanView.HasChanges(plan) ? ExitCodes.DifferenceFound : ExitCodes.Success;
        }));
        return command;
    }
}
