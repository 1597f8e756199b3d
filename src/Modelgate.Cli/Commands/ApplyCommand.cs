using System.CommandLine;
using Modelgate.Cli.ConfigAsCode;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate apply modelgate.yaml [--prune] [--dry-run] [--based-on-version N]</c>: shows the plan, then makes the
/// server match the file as one catalog change (one version, one audit entry naming the file's SHA-256). The apply is
/// refused if the catalog changed since the plan (or since version N, for a plan reviewed earlier). Deletes only with
/// <c>--prune</c>. Every key reference must resolve (<c>env:</c>, <c>file:</c>).
/// </summary>
public static class ApplyCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var path = new Argument<string>("file") { Description = "The configuration file, or a folder of them" };
        var prune = new Option<bool>("--prune") { Description = "Delete what the file does not name (providers, models, defaults, fallbacks, aliases)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing" };
        var basedOn = new Option<long?>("--based-on-version")
        {
            Description = "Refuse unless the catalog is still at this version (the one a reviewed plan was worked out against)",
        };
        var command = new Command("apply", "Make the server's configuration match a file, as one change") { path, prune, dryRun, basedOn };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            var input = ConfigInput.Load(parsed.GetValue(path)!);
            var keys = input.Keys(cli.Environment, required: true, out _);
            using var admin = cli.Connect(parsed);
            var pruning = parsed.GetValue(prune);
            var plan = await input.SendAsync(admin, "plan", input.Body(keys, pruning), ct);
            var output = cli.Output(parsed);
            if (output.Format == OutputFormat.Table)
            {
                await output.WriteAsync(plan, () => PlanView.Table(plan, ("create", "change", "delete")));
                await cli.Error.WriteLineAsync(PlanView.Summary(plan));
            }

            var version = parsed.GetValue(basedOn) ?? plan.GetProperty("based_on_version").GetInt64();
            if (parsed.GetValue(dryRun) || !PlanView.HasChanges(plan))
            {
                if (output.Format != OutputFormat.Table)
                {
                    await output.WriteAsync(plan, () => PlanView.Table(plan, ("create", "change", "delete")));
                }

                await cli.Error.WriteLineAsync(parsed.GetValue(dryRun) ? "Dry run: nothing applied." : "Nothing to apply: the server matches the file.");
                return ExitCodes.Success;
            }

            var applied = await input.SendAsync(admin, "apply", input.Body(keys, pruning, version), ct);
            if (output.Format != OutputFormat.Table)
            {
                await output.WriteAsync(applied, () => PlanView.Table(plan, ("create", "change", "delete")));
            }

            await cli.Error.WriteLineAsync(applied.TryGetProperty("version", out var published) && published.ValueKind == System.Text.Json.JsonValueKind.Number
                ? $"Applied {input.DisplayName} (sha256 {input.Source.Sha256[..12]}): catalog version {published.GetInt64()}."
                : "Nothing applied: the server already matched the file.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
