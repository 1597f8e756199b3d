namespace Modelgate.Core.Providers.Anthropic;

/// <summary>Where Anthropic's API lives for a provider: shared by the SDK adapter and the gateway's passthrough.</summary>
public static class AnthropicEndpoint
{
    public const string DefaultRoot = "https://api.anthropic.com";

    /// <summary>The API root for a configured base_url, given with or without <c>/v1</c> (callers append <c>/v1/...</c>).</summary>
    public static string RootUrl(string? baseUrl)
    {
        var url = (baseUrl ?? DefaultRoot).TrimEnd('/');
        return url.EndsWith("/v1", StringComparison.Ordinal) ? url[..^3] : url;
    }
}
