namespace Modelgate.Client;

/// <summary>
/// Remote mode: where the Modelgate gateway is and the virtual key to call it with. Unset values come from
/// <c>MODELGATE_URL</c> and <c>MODELGATE_API_KEY</c>.
/// </summary>
public sealed class ModelgateGatewayOptions
{
    /// <summary>The Modelgate server's root URL, e.g. <c>http://modelgate:8080</c> (the gateway is under <c>/v1</c>).</summary>
    public Uri? Url { get; set; }

    /// <summary>A virtual key created with <c>POST /api/v1/keys</c> (never a provider's key).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The HTTP client calls go through (its address is ignored: <see cref="Url"/> is used); by default one shared
    /// client. The gateway retries and falls back itself, so the client does not retry.
    /// </summary>
    public HttpClient? HttpClient { get; set; }
}
