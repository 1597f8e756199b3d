using System.CommandLine;
using System.Text.Json;
using Modelgate.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate status</c>: the server's version, the current catalog version and each instance with its lag.</summary>
public static class StatusCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var command = new Command("status", "Catalog version and instances");
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var versions = await admin.GetAsync("config/versions?limit=1", ct);
            var instances = await admin.GetAsync("instances", ct);
            var server = await VersionAsync(admin, ct);
            var latest = versions.GetProperty("data").EnumerateArray().FirstOrDefault();
            var status = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["url"] = admin.Url.ToString(),
                ["server_version"] = JsonText.At(server, "version"),
                ["catalog_version"] = latest.ValueKind == JsonValueKind.Object ? latest : null,
                ["instances"] = instances,
            });
            await cli.Output(parsed).WriteAsync(status, () => Render(admin.Url, JsonText.At(server, "version"), latest, instances));
            return ExitCodes.Success;
        }));
        return command;
    }

    // A server from before /version answers 404: its version is unknown, the rest of the status still stands.
    private static async Task<JsonElement> VersionAsync(Http.AdminClient admin, CancellationToken ct)
    {
        try
        {
            return await admin.GetAsync("version", ct);
        }
        catch (CliException e) when (e.Status == 404)
        {
            return JsonSerializer.SerializeToElement(new { version = "unknown (this server does not say)" });
        }
    }

    private static readonly Column[] InstanceColumns =
    [
        Column.Field("INSTANCE", "id"), Column.Field("HOST", "host"), Column.Field("PID", "process_id"),
        Column.Field("VERSION", "config_version"), Column.Field("LAG", "lag"), Column.Field("ALIVE", "is_alive"),
        Column.Field("SOURCE", "config_source"), Column.Field("HEARTBEAT", "heartbeat_at"),
        new("THIS", row => JsonText.At(row, "is_self") == "yes" ? "*" : ""),
    ];

    private static IRenderable Render(Uri url, string serverVersion, JsonElement latest, JsonElement instances)
    {
        var catalog = latest.ValueKind == JsonValueKind.Object
            ? $"{JsonText.At(latest, "version")} (published {JsonText.At(latest, "published_at")} by {JsonText.At(latest, "actor")}: "
                + $"{JsonText.At(latest, "summary")})"
            : "none published";
        var summary = Tables.Of(["", ""],
        [
            ["Server", url.ToString()], ["Server version", serverVersion], ["Catalog version", catalog],
            ["All instances current", JsonText.At(instances, "all_current")],
        ]).HideHeaders();
        var rows = instances.TryGetProperty("instances", out var list) ? list.EnumerateArray().ToList() : [];
        return new Rows(summary, Tables.Of(rows, InstanceColumns));
    }
}
