namespace Modelgate.Server.Gateway;

/// <summary>Bounds on what a provider may send back (settings <c>MODELGATE_GATEWAY_*</c>).</summary>
internal sealed record GatewayOptions(long MaxResponseBytes, TimeSpan StreamIdleTimeout)
{
    public static GatewayOptions From(IConfiguration configuration) => new(
        long.TryParse(configuration["MODELGATE_GATEWAY_MAX_RESPONSE_BYTES"], out var bytes) && bytes > 0 ? bytes : 32L * 1024 * 1024,
        TimeSpan.FromSeconds(double.TryParse(configuration["MODELGATE_GATEWAY_STREAM_IDLE_SECONDS"], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 120));
}

/// <summary>Which usage fields a successful non-streaming answer must carry (non-negative) to be relayed.</summary>
internal enum UsageRule
{
    OpenAIChat,
    OpenAIEmbeddings,
    Anthropic,
}
