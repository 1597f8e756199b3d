using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>
/// A gateway request read, checked and resolved (<see cref="Steps.GatewaySteps"/>): the JSON body, the caller's key, the
/// model it resolves to and the chain of models the key may use, in order.
/// </summary>
internal sealed record GatewayRequest(JsonObject Body, VirtualKey Key, ResolvedModel Resolved, string Requested, IReadOnlyList<ResolvedModel> Chain)
{
    /// <summary>
    /// The most the answer may take, as the request says (OpenAI's max_completion_tokens or max_tokens, the Responses
    /// API's max_output_tokens, Anthropic's max_tokens); null when it does not say.
    /// </summary>
    public static long? MaxOutputTokens(JsonObject body)
    {
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_output_tokens", "max_tokens"])
        {
            // A number of any size is read: CallLimits bounds what it reserves, and a limit it exceeds refuses the call.
            if (body[name] is JsonValue value && value.TryGetValue(out long tokens) && tokens > 0)
            {
                return tokens;
            }
        }

        return null;
    }

    /// <summary>The caller asked for a stream's usage (<c>stream_options.include_usage: true</c>, OpenAI format).</summary>
    public bool CallerAsksStreamUsage =>
        Body["stream_options"] is JsonObject streamOptions && streamOptions["include_usage"] is JsonValue flag && flag.TryGetValue(out bool include) && include;
}
