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

    public static GatewayOptions From(IConfiguration configuration) => new(
        long.TryParse(configuration["MODELGATE_GATEWAY_MAX_RESPONSE_BYTES"], out var bytes) && bytes > 0 ? bytes : 32L * 1024 * 1024,
        Seconds(configuration["MODELGATE_GATEWAY_STREAM_IDLE_SECONDS"], 120),
        Seconds(configuration["MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS"], 120),
        Seconds(configuration["MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS"], 300),
        int.TryParse(configuration["MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS"], out var concurrent) && concurrent > 0 ? concurrent : 4096,
        // No lower cap than the requests served at once by default: a request waiting for a connection would count as the
        // provider's failure. Idle connections are closed after 20 s either way, which is what frees a burst's sockets.
        int.TryParse(configuration["MODELGATE_GATEWAY_MAX_CONNECTIONS_PER_PROVIDER"], out var connections) && connections > 0 ? connections
            : int.TryParse(configuration["MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS"], out var served) && served > 0 ? served : 4096,
        Seconds(configuration["MODELGATE_GATEWAY_CLIENT_WRITE_TIMEOUT_SECONDS"], 30),
        Seconds(configuration["MODELGATE_SHUTDOWN_DRAIN_SECONDS"], 30, allowZero: true));

    // At most a day: beyond it a timer cannot be set (and no operator means it).
    private static TimeSpan Seconds(string? value, double fallback, bool allowZero = false) =>
        TimeSpan.FromSeconds(
            double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && (seconds > 0 || (allowZero && seconds == 0))
                ? Math.Min(seconds, 86_400)
                : fallback);
}

/// <summary>Where a provider's answer reports its token usage: which wire format, and chat or embeddings.</summary>
internal enum UsageRule
{
    OpenAIChat,
    OpenAIEmbeddings,
    Anthropic,
}
