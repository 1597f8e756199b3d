using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Modelgate.Server.Auth;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// The admin console's session: a cookie issued after signing in with the admin token, holding only the id of a
/// session kept in the database (<see cref="DatabaseTicketStore"/>). It is HttpOnly, SameSite=Strict, Secure over
/// HTTPS; it ends at sign-out (everywhere), after 8 idle hours, 12 hours after sign-in, or when the admin token changes.
/// </summary>
internal static class AdminSession
{
    public const string Scheme = "AdminSession";
    public const string Policy = "AdminConsole";
    public const string CookieName = "modelgate_session";

    public static AuthenticationBuilder AddAdminSession(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/sign-in";
            o.LogoutPath = "/sign-out";
            o.AccessDeniedPath = "/sign-in";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = async context =>
            {
                var verifier = context.HttpContext.RequestServices.GetRequiredService<AdminTokenVerifier>();
                if (context.Principal?.FindFirst(AdminTokenAuthenticationHandler.ActorClaim)?.Value is not { } actor || !verifier.IsCurrent(actor))
                {
                    // Signed in with a token that is no longer the admin token: the session ends here.
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                }
            };
        });

    /// <summary>A sign-in's properties: when it happened, which starts the session's 12-hour limit afresh.</summary>
    public static AuthenticationProperties NewSession(DateTimeOffset now) =>
        new(new Dictionary<string, string?> { [DatabaseTicketStore.SignedInItem] = now.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>The principal a signed-in administrator carries: the same actor name the admin API records.</summary>
    public static ClaimsPrincipal Principal(string actor) =>
        new(new ClaimsIdentity([new Claim(AdminTokenAuthenticationHandler.ActorClaim, actor)], Scheme));
}
