using System.Text.Json;

namespace Modelgate.Testing.Upstreams;

/// <summary>What a fake upstream received: path, the credentials in each header style, and the JSON body.</summary>
public sealed record RecordedRequest(string Path, string? Authorization, string? XApiKey, string? AzureApiKey, JsonElement Body)
{
    /// <summary>The key the caller sent, in whichever header its SDK uses.</summary>
    public string? ApiKey => XApiKey ?? AzureApiKey ?? (Authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? Authorization[7..] : null);

    /// <summary>The <c>anthropic-version</c> header sent, if any.</summary>
    public string? AnthropicVersion { get; init; }

    /// <summary>The <c>anthropic-beta</c> header sent, if any.</summary>
    public string? AnthropicBeta { get; init; }

    public string? Model => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("model", out var m) ? m.GetString() : null;

    public double? Number(string name) => Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
