using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>Finds the caller's virtual key (Bearer or <c>x-api-key</c>) in the catalog in effect.</summary>
internal static class GatewayCaller
{
    public static (VirtualKey? Key, IResult? Error) Authenticate(HttpContext context, CurrentCatalog catalog, GatewayFormat format, TimeProvider time)
    {
        var presented = Presented(context.Request.Headers);
        if (presented.IsEmpty)
        {
            return (null, GatewayErrors.Write(format, 401, "Missing API key: send a Modelgate virtual key as 'Authorization: Bearer <key>' or 'x-api-key' (create one with POST /api/v1/keys)."));
        }

        if (!VirtualKey.TryFind(catalog.State.Snapshot.VirtualKeys, presented, out var key))
        {
            return (null, GatewayErrors.Write(format, 401, "Invalid API key: it is not a Modelgate virtual key.", code: "invalid_api_key"));
        }

        return KeyAdmission.Usable(key, time.GetUtcNow()) is { } refusal ? (null, GatewayErrors.Refused(format, refusal)) : (key, null);
    }

    // x-api-key first (Anthropic's SDKs), else a Bearer token (OpenAI's).
    private static ReadOnlySpan<char> Presented(IHeaderDictionary headers)
    {
        if (headers["x-api-key"].FirstOrDefault() is { Length: > 0 } apiKey)
        {
            return apiKey.AsSpan().Trim();
        }

        var authorization = headers.Authorization.FirstOrDefault();
        return authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true ? authorization.AsSpan(7).Trim() : [];
    }
}
