using Modelgate.Server.Auth;
using Modelgate.Storage;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/secrets</c>: master key rotation.</summary>
internal static class SecretsApi
{
    public static RouteGroupBuilder MapSecretsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/secrets/rotate-master-key", RotateAsync).WithTags("Secrets").WithName("RotateMasterKey")
            .WithSummary("Re-encrypt every stored provider key. With the key file, a new master key is generated first; with MODELGATE_MASTER_KEY, keys are re-encrypted under the configured key (put the old one in MODELGATE_PREVIOUS_MASTER_KEYS).")
            .Produces<RotationResult>();
        return api;
    }

    private static async Task<IResult> RotateAsync(HttpContext context, SecretKeyMaintenance maintenance)
    {
        var result = await maintenance.RotateAsync(context.User.Actor(), context.RequestAborted);
        return result.Value is { } rotation ? TypedResults.Ok(rotation) : ApiResults.Problem(result.Error!);
    }
}
