namespace Modelgate.Core.Providers;

/// <summary>HttpClients over the shared handler, one per SDK client (the handler, and its connections, are shared).</summary>
internal static class ProviderHttp
{
    /// <summary>Long enough for slow generations; per-request deadlines are set by the caller's cancellation token.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static HttpClient Client(HttpMessageHandler handler, Uri? baseAddress = null) =>
        new(handler, disposeHandler: false) { Timeout = Timeout, BaseAddress = baseAddress };
}
