using System.CommandLine;
using System.Text.Json;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate list fallbacks</c>: each purpose's chain of fallback models, in order.</summary>
public static class FallbacksListing
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var command = new Command("fallbacks", "The fallback chain of each purpose");
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var chains = await admin.GetAsync("llm-fallbacks", ct);
            var rows = chains.EnumerateObject().Select(p => (IReadOnlyList<string>)[p.Name, Chain(p.Value)]);
            await cli.Output(parsed).WriteAsync(chains, () => Tables.Of(["PURPOSE", "FALLBACKS (IN ORDER)"], rows));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Chain(JsonElement models) => models.ValueKind == JsonValueKind.Array
        ? string.Join(" → ", models.EnumerateArray().Select(m => $"{JsonText.At(m, "model_id")} ({JsonText.At(m, "provider_name")})"))
        : JsonText.Of(models);
}
