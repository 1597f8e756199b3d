using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Modelgate.Server.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;admin token&gt;</c> for the admin API.</summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminTokenVerifier verifier) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string ActorClaim = "modelgate:actor";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var actor = verifier.Verify(header["Bearer ".Length..].Trim());
        if (actor is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The admin token is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ActorClaim, actor)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"modelgate-admin\"";
        await Results.Problem(
            title: "Unauthorized",
            detail: "Send the admin token as 'Authorization: Bearer <token>' (set with MODELGATE_ADMIN_TOKEN, or printed once on first start).",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}

/// <summary>Reads who is acting from the authenticated request.</summary>
internal static class ActorExtensions
{
    public static string Actor(this ClaimsPrincipal user) =>
        user.FindFirst(AdminTokenAuthenticationHandler.ActorClaim)?.Value ?? "anonymous";
}
