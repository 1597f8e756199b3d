using System.ClientModel;
using System.Text.Json;
using Modelgate.Core.Resolution;

namespace Modelgate.Client.Gateway;

/// <summary>
/// The gateway's refusals as the same exceptions direct mode throws: what the application must fix (an unknown or
/// unconfigured purpose, a wrong or disallowed key: 401/403/404) is a <see cref="ModelgateConfigurationException"/>;
/// a failed call is a <see cref="ModelgateProviderException"/> with the HTTP status (null when the gateway was not reached).
/// </summary>
internal static class GatewayFailure
{
    public static bool ShouldMap(Exception error) => error is ClientResultException or HttpRequestException;

    public static Exception Map(string purpose, Exception error)
    {
        var status = error is ClientResultException { Status: > 0 } result ? result.Status : (int?)null;
        var said = (error as ClientResultException)?.GetRawResponse() is { } response ? MessageOf(response.Content) : null;
        return status switch
        {
            401 or 403 or 404 => new ModelgateConfigurationException(purpose, $"The Modelgate gateway refused '{purpose}' (HTTP {status}): {said ?? error.Message}"),
            null => new ModelgateProviderException(purpose, null, null, null, $"The Modelgate gateway could not be reached for '{purpose}': {error.Message}", error),
            _ => new ModelgateProviderException(purpose, null, null, status, $"The Modelgate gateway answered HTTP {status} for '{purpose}': {said ?? error.Message}", error),
        };
    }

    // The message of an error in OpenAI's format, as the gateway writes it.
    private static string? MessageOf(BinaryData? body)
    {
        try
        {
            using var document = JsonDocument.Parse(body?.ToMemory() ?? ReadOnlyMemory<byte>.Empty);
            return document.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
