using System.Text.Json.Nodes;
using Modelgate.Core.Experiments;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The session a gateway call belongs to, for experiments' sticky assignment and for feedback: the
/// <c>x-modelgate-session</c> header, else what the caller's own API uses to name its end user — OpenAI's <c>user</c>
/// (chat completions and Responses), Anthropic's <c>metadata.user_id</c>. Null when the call names none.
/// </summary>
internal static class GatewaySession
{
    public const string Header = "x-modelgate-session";

    public static string? Of(HttpContext context, JsonObject body, GatewayFormat format)
    {
        if (ModelgateSession.Clean(context.Request.Headers[Header].ToString()) is { } header)
        {
            return header;
        }

        var named = format == GatewayFormat.Anthropic
            ? (body["metadata"] as JsonObject)?["user_id"]
            : body["user"];
        return named is JsonValue value && value.TryGetValue<string>(out var text) ? ModelgateSession.Clean(text) : null;
    }
}
