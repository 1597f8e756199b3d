using System.Net;
using System.Reflection;

namespace Modelgate.Core.Resolution;

/// <summary>
/// A provider call failed: says which purpose, provider and model, and the HTTP status the provider answered
/// (null when no answer came, e.g. connection refused). The SDK's exception is kept as the inner exception.
/// </summary>
public sealed class ModelgateProviderException(string purpose, string? provider, string? model, int? statusCode, string message, Exception inner)
    : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;

    public string Purpose { get; } = purpose;

    /// <summary>The provider that failed; null when a Modelgate gateway answered for it (its message names it).</summary>
    public string? Provider { get; } = provider;

    /// <summary>The model that failed; null when a Modelgate gateway answered for it (its message names it).</summary>
    public string? Model { get; } = model;

    /// <summary>Whether an exception from a provider call should be wrapped (not cancellations, not our own errors).</summary>
    public static bool ShouldWrap(Exception error) =>
        error is not (OperationCanceledException or ModelgateConfigurationException or ModelgateProviderException);

    /// <summary>The HTTP status an SDK exception carries (in whichever shape that SDK reports it), or null.</summary>
    public static int? StatusOf(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: { } http })
            {
                return (int)http;
            }

            // OpenAI (System.ClientModel) exposes Status, Anthropic and others StatusCode.
            foreach (var name in new[] { "Status", "StatusCode" })
            {
                var value = e.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(e);
                switch (value)
                {
                    case int code when code > 0:
                        return code;
                    case HttpStatusCode code:
                        return (int)code;
                }
            }
        }

        return null;
    }
}
