namespace Modelgate.Server.Gateway;

/// <summary>Bounds on what a provider may send back (settings <c>MODELGATE_GATEWAY_*</c>).</summary>
/// <param name="MaxResponseBytes">The most a provider's answer (whole or streamed) may carry.</param>
/// <param name="StreamIdleTimeout">How long a provider may stay silent once it has started answering.</param>
/// <param name="FirstByteTimeout">How long one attempt may take to produce its first byte.</param>
/// <param name="RequestTimeout">How long a request may take to get its first byte across every retry and fallback.</param>
/// <param name="MaxConcurrentRequests">How many gateway requests (streams included) one instance serves at once.</param>
internal sealed record GatewayOptions(long MaxResponseBytes, TimeSpan StreamIdleTimeout, TimeSpan FirstByteTimeout, TimeSpan RequestTimeout, int MaxConcurrentRequests)
{
    /// <summary>The most messages one request may carry (checked before anything is sent).</summary>
    public const int MaxMessages = 2000;

    public static GatewayOptions From(IConfiguration configuration) => new(
        long.TryParse(configuration["MODELGATE_GATEWAY_MAX_RESPONSE_BYTES"], out var bytes) && bytes > 0 ? bytes : 32L * 1024 * 1024,
        Seconds(configuration["MODELGATE_GATEWAY_STREAM_IDLE_SECONDS"], 120),
        Seconds(configuration["MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS"], 120),
        Seconds(configuration["MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS"], 300),
        int.TryParse(configuration["MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS"], out var concurrent) && concurrent > 0 ? concurrent : 4096);

    private static TimeSpan Seconds(string? value, double fallback) =>
        TimeSpan.FromSeconds(double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : fallback);
}

/// <summary>Where a provider's answer reports its token usage: which wire format, and chat or embeddings.</summary>
internal enum UsageRule
{
    OpenAIChat,
    OpenAIEmbeddings,
    Anthropic,
}
