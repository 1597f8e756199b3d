using System.CommandLine;
using System.Text.Json;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate keys create|revoke</c>: virtual keys for gateway callers.</summary>
public static class KeysCommand
{
    /// <summary>The command and its subcommands.</summary>
    public static Command Create(CliRuntime cli)
    {
        var keys = new Command("keys", "Create and revoke virtual keys");
        keys.Subcommands.Add(CreateKey(cli));
        keys.Subcommands.Add(Revoke(cli));
        return keys;
    }

    private static Command CreateKey(CliRuntime cli)
    {
        var name = new Argument<string>("name") { Description = "The key's name" };
        var budget = new Option<decimal?>("--budget") { Description = "Budget in USD per period" };
        var period = new Option<string?>("--budget-period") { Description = "daily or monthly (monthly when unset)" };
        var expires = new Option<DateTimeOffset?>("--expires-at") { Description = "When the key stops working (ISO 8601)" };
        var team = new Option<string?>("--team") { Description = "The application or team the key belongs to (usage can be grouped by it)" };
        var command = new Command("create", "Create a key; its secret is printed once") { name, budget, period, expires, team };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var body = new Dictionary<string, object?> { ["name"] = parsed.GetValue(name) };
            AddIfSet(body, "budget_usd", parsed.GetValue(budget));
            AddIfSet(body, "budget_period", parsed.GetValue(period));
            AddIfSet(body, "expires_at", parsed.GetValue(expires));
            AddIfSet(body, "team", parsed.GetValue(team));
            var created = await admin.SendAsync(HttpMethod.Post, "keys", body, ct);
            var output = cli.Output(parsed);
            await output.WriteAsync(created, () => Tables.Of(["FIELD", "VALUE"],
            [
                ["id", JsonText.At(created, "virtual_key.id")], ["name", JsonText.At(created, "virtual_key.name")],
                ["key", JsonText.At(created, "key")],
            ]));
            if (output.Format == OutputFormat.Table)
            {
                await cli.Error.WriteLineAsync("This is the only time the key is shown: store it now.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Revoke(CliRuntime cli)
    {
        var id = new Argument<string>("id") { Description = "The key's id or name" };
        var command = new Command("revoke", "Revoke a key: calls with it are refused from then on") { id };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var key = await GetCommand.FindAsync(admin, Resources.Keys, parsed.GetValue(id)!, ct);
            var keyId = JsonText.At(key, "id");
            var revoked = await admin.SendAsync(HttpMethod.Post, $"keys/{Uri.EscapeDataString(keyId)}/revoke", null, ct);
            var shown = revoked.ValueKind == JsonValueKind.Object && revoked.TryGetProperty("id", out _) ? revoked : key;
            await cli.Output(parsed).WriteAsync(shown, () => Tables.Of(["ID", "NAME", "STATUS"],
                [[keyId, JsonText.At(shown, "name"), JsonText.At(shown, "status") is { Length: > 0 } s ? s : "revoked"]]));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void AddIfSet<T>(Dictionary<string, object?> body, string field, T? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }
}
