namespace Modelgate.Core.Pipeline;

/// <summary>
/// A provider is at one of the limits configured for it in Modelgate (<see cref="Limit"/>): nothing was sent.
/// <see cref="Wait"/> says when a permit frees up. The next model of a fallback chain may still serve the call.
/// </summary>
public sealed class ProviderLimitReachedException(string provider, TimeSpan wait, string limit)
    : Exception($"Provider '{provider}' is at its configured limit of {limit}; try again in {Math.Ceiling(wait.TotalSeconds):0} s.")
{
    /// <summary>The provider's name.</summary>
    public string Provider { get; } = provider;

    public TimeSpan Wait { get; } = wait;

    /// <summary>Which limit, for people: e.g. "60 requests per minute".</summary>
    public string Limit { get; } = limit;
}
