using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway;

/// <summary>Finds the caller's virtual key (Bearer or <c>x-api-key</c>) in the catalog in effect.</summary>
internal static class GatewayCaller
{
    public static (VirtualKey? Key, IResult? Error) Authenticate(HttpContext context, CurrentCatalog catalog, GatewayFormat format, TimeProvider time)
    {
        var presented = context.Request.Headers["x-api-key"].FirstOrDefault();
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (string.IsNullOrEmpty(presented) && authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
        {
            presented = authorization[7..].Trim();
        }

        if (string.IsNullOrEmpty(presented))
        {
            return (null, GatewayErrors.Write(format, 401, "Missing API key: send a Modelgate virtual key as 'Authorization: Bearer <key>' or 'x-api-key' (create one with POST /api/v1/keys)."));
        }

        if (!catalog.State.Snapshot.VirtualKeys.TryGetValue(VirtualKey.Hash(presented), out var key))
        {
            return (null, GatewayErrors.Write(format, 401, "Invalid API key: it is not a Modelgate virtual key.", code: "invalid_api_key"));
        }

        return key.Unusable(time.GetUtcNow()) is { } why
            ? (null, GatewayErrors.Write(format, 401, $"Invalid API key: {why}.", code: "invalid_api_key"))
            : (key, null);
    }
}
