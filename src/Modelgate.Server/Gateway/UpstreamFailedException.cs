using System.Net;

namespace Modelgate.Server.Gateway;

/// <summary>
/// A provider answered with a status that says it cannot serve the request (see
/// <see cref="Core.Pipeline.ProviderResilience.IsProviderFault"/>), or with an answer that cannot be used: the next
/// model of the chain is tried, and if none serves, the caller gets <see cref="Answer"/>, the error already put in its
/// format (the provider's message redacted). The status is where the pipeline's rules look for it.
/// </summary>
internal sealed class UpstreamFailedException(int status, IResult answer)
    : HttpRequestException($"The provider answered HTTP {status}.", null, (HttpStatusCode)status)
{
    /// <summary>The error for the caller when no other model serves.</summary>
    public IResult Answer { get; } = answer;
}
