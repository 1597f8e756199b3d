using System.Net;

namespace Modelgate.Core.Providers;

/// <summary>
/// A provider answered with an error status, kept with the body it said it in (at most
/// <see cref="ProviderErrorBodies.MaxChars"/> characters), for an SDK that would otherwise drop that body (OllamaSharp).
/// The status is where the pipeline's rules look for it (<see cref="HttpRequestException.StatusCode"/>); the gateway
/// quotes the provider's message from <see cref="Body"/>, redacted, as it does for a relayed answer.
/// </summary>
public sealed class ProviderErrorException(HttpStatusCode status, string body, string message)
    : HttpRequestException(message, null, status)
{
    /// <summary>The provider's error body as it came (JSON or text), possibly cut short.</summary>
    public string Body { get; } = body;
}
