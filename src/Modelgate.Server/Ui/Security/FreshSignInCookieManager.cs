using Microsoft.AspNetCore.Authentication.Cookies;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// The session cookie's reader and writer, which does not read the session cookie on the sign-in form's post. The
/// cookie handler would otherwise renew the presented session under its old id, and a sign-in would bring back a
/// session that had been ended (a copied cookie included); ignoring it makes every sign-in a new session with a new
/// id. The sign-in page ends the presented session itself (<see cref="AdminSession.EndPresentedAsync"/>).
/// </summary>
internal sealed class FreshSignInCookieManager : ICookieManager
{
    private readonly ChunkingCookieManager _cookies = new();

    public string? GetRequestCookie(HttpContext context, string key) =>
        IsSignIn(context.Request) && key == AdminSession.CookieName ? null : _cookies.GetRequestCookie(context, key);

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        _cookies.AppendResponseCookie(context, key, value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options) => _cookies.DeleteCookie(context, key, options);

    /// <summary>The session cookie as the browser sent it, wherever the request goes.</summary>
    public string? Presented(HttpContext context) => _cookies.GetRequestCookie(context, AdminSession.CookieName);

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(AdminSession.SignInPath, StringComparison.OrdinalIgnoreCase);
}
