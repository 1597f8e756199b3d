using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
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
    public const string SignInPath = "/sign-in";

    // The claim in which the cookie handler keeps the id of a session held by a ticket store.
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public static AuthenticationBuilder AddAdminSession(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = SignInPath;
            o.LogoutPath = "/sign-out";
            o.AccessDeniedPath = SignInPath;
            o.CookieManager = new FreshSignInCookieManager();
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

    /// <summary>
    /// Ends the session whose cookie came with this request, if any: a new sign-in replaces it rather than renewing it
    /// (see <see cref="FreshSignInCookieManager"/>).
    /// </summary>
    public static async Task EndPresentedAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(Scheme);
        if (options.CookieManager is FreshSignInCookieManager cookies && cookies.Presented(context) is { } cookie
            && options.TicketDataFormat.Unprotect(cookie)?.Principal.FindFirst(SessionIdClaim)?.Value is { } id && options.SessionStore is { } store)
        {
            await store.RemoveAsync(id, context, context.RequestAborted);
        }
    }

    /// <summary>The principal a signed-in administrator carries: the same actor name the admin API records.</summary>
    public static ClaimsPrincipal Principal(string actor) =>
        new(new ClaimsIdentity([new Claim(AdminTokenAuthenticationHandler.ActorClaim, actor)], Scheme));
}
