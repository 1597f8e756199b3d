using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Modelgate.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;admin token&gt;</c> for the admin API. A wrong token counts against the
/// caller's address (<see cref="AdminAuthThrottle"/>); an address at its limit is answered 429 and its token not checked.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminTokenVerifier verifier,
    AdminAuthThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminToken";
    public const string ActorClaim = "modelgate:actor";

    // Set when the caller's address was at its limit: the challenge is then a 429, not a 401.
    private TimeSpan? _blockedFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var address = Context.Connection.RemoteIpAddress;
        (_blockedFor, var attempt) = await throttle.AttemptAsync(address, Context.RequestAborted);
        if (_blockedFor is not null)
        {
            return AuthenticateResult.Fail("Too many failed admin tokens from this address; the token was not checked.");
        }

        var actor = verifier.Verify(header["Bearer ".Length..].Trim());
        if (actor is null)
        {
            return AuthenticateResult.Fail("The admin token is not valid.");
        }

        await throttle.SucceededAsync(address, attempt);

        var identity = new ClaimsIdentity([new Claim(ActorClaim, actor)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_blockedFor is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Results.Problem(
                title: "Too many failed admin tokens",
                detail: $"Too many failed admin tokens from this address (at most {AdminAuthThrottle.FailuresPerMinute} a minute): "
                    + "no token is checked until a minute has passed. Wait a minute (see Retry-After) and try again.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(Context);
            return;
        }

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
