using System.CommandLine;
using System.Text.Json;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate list defaults</c>: the model each purpose and agent type goes to.</summary>
public static class DefaultsListing
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var command = new Command("defaults", "The default model of each purpose and agent type");
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var defaults = await admin.GetAsync("llm-defaults", ct);
            await cli.Output(parsed).WriteAsync(defaults, () => Tables.Of(["PURPOSE", "MODEL", "PROVIDER", "ID"], Rows(defaults)));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>One row per purpose, then one per agent type (<c>agents/&lt;type&gt;</c>).</summary>
    public static IEnumerable<IReadOnlyList<string>> Rows(JsonElement defaults)
    {
        foreach (var purpose in defaults.EnumerateObject().Where(p => p.Name != "agent_types"))
        {
            yield return Row(purpose.Name, purpose.Value);
        }

        if (defaults.TryGetProperty("agent_types", out var types) && types.ValueKind == JsonValueKind.Object)
        {
            foreach (var type in types.EnumerateObject())
            {
                yield return Row("agents/" + type.Name, type.Value);
            }
        }
    }

    private static string[] Row(string purpose, JsonElement model) =>
        model.ValueKind == JsonValueKind.Object
            ? [purpose, JsonText.At(model, "model_id"), JsonText.At(model, "provider_name"), JsonText.At(model, "id")]
            : [purpose, "(none)", "", ""];
}
