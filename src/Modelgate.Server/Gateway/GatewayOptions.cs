using Modelgate.Server.Hosting;

namespace Modelgate.Server.Gateway;

/// <summary>Bounds on what a provider may send back (settings <c>MODELGATE_GATEWAY_*</c>).</summary>
/// <param name="MaxResponseBytes">The most a provider's answer (whole or streamed) may carry.</param>
/// <param name="StreamIdleTimeout">How long a provider may stay silent once it has started answering.</param>
/// <param name="FirstByteTimeout">How long one attempt may take to produce its first byte.</param>
/// <param name="RequestTimeout">How long a request may take to get its first byte across every retry and fallback.</param>
/// <param name="MaxConcurrentRequests">How many gateway requests (streams included) one instance serves at once.</param>
/// <param name="MaxConnectionsPerProvider">Open connections to one provider address at most; more requests wait for one.</param>
/// <param name="ClientWriteTimeout">How long a caller may leave a stream unread before the gateway closes its connection.</param>
/// <param name="DrainTimeout">How long a stopping server lets calls in progress finish before it ends their streams.</param>
internal sealed record GatewayOptions(
    long MaxResponseBytes, TimeSpan StreamIdleTimeout, TimeSpan FirstByteTimeout, TimeSpan RequestTimeout, int MaxConcurrentRequests,
    int MaxConnectionsPerProvider, TimeSpan ClientWriteTimeout, TimeSpan DrainTimeout)
{
    /// <summary>The most messages one request may carry (checked before anything is sent).</summary>
    public const int MaxMessages = 2000;

    /// <summary>Reads the settings; one that is set but not valid stops the start (<see cref="Hosting.StartupException"/>).</summary>
    public static GatewayOptions From(IConfiguration configuration)
    {
        var concurrent = SettingValues.Count(configuration, "MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS", 4096);
        return new(
            SettingValues.Number(configuration, "MODELGATE_GATEWAY_MAX_RESPONSE_BYTES", 32L * 1024 * 1024),
            SettingValues.Seconds(configuration, "MODELGATE_GATEWAY_STREAM_IDLE_SECONDS", 120),
            SettingValues.Seconds(configuration, "MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS", 120),
            SettingValues.Seconds(configuration, "MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS", 300),
            concurrent,
            // No lower cap than the requests served at once by default: a request waiting for a connection would count as
            // the provider's failure. Idle connections are closed after 20 s either way, which is what frees a burst's sockets.
            SettingValues.Count(configuration, "MODELGATE_GATEWAY_MAX_CONNECTIONS_PER_PROVIDER", concurrent),
            SettingValues.Seconds(configuration, "MODELGATE_GATEWAY_CLIENT_WRITE_TIMEOUT_SECONDS", 30),
            SettingValues.Seconds(configuration, "MODELGATE_SHUTDOWN_DRAIN_SECONDS", 30, allowZero: true));
    }
}

/// <summary>Where a provider's answer reports its token usage: which wire format, and chat or embeddings.</summary>
internal enum UsageRule
{
    OpenAIChat,
    OpenAIEmbeddings,
    Anthropic,
    OpenAIResponses,
}
