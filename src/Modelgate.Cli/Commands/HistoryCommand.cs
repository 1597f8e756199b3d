using System.CommandLine;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate history [--limit]</c>: published catalog versions, newest first.</summary>
public static class HistoryCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var limit = new Option<int>("--limit") { Description = "How many versions (1–200)", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "Published catalog versions, newest first") { limit };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var page = await admin.GetAsync($"config/versions?limit={parsed.GetValue(limit)}", ct);
            var versions = page.GetProperty("data");
            await cli.Output(parsed).WriteRowsAsync(versions, versions.EnumerateArray(),
            [
                Column.Field("VERSION", "version"), Column.Field("PUBLISHED", "published_at"), Column.Field("BY", "actor"),
                new("CURRENT", row => JsonText.At(row, "is_current") == "yes" ? "*" : ""), Column.Field("SUMMARY", "summary"),
            ]);
            return ExitCodes.Success;
        }));
        return command;
    }
}
