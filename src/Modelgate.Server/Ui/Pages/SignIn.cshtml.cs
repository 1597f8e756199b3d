using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Modelgate.Server.Auth;
using Modelgate.Server.Ui.Security;

namespace Modelgate.Server.Ui.Pages;

/// <summary>Exchanges the admin token for a session cookie; the token itself is never stored in the browser.</summary>
internal sealed class SignInModel(AdminTokenVerifier verifier, AdminAuthThrottle throttle, TimeProvider time, ILogger<SignInModel> logger) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        (await HttpContext.AuthenticateAsync(AdminSession.Scheme)).Succeeded ? LocalRedirect(Target) : Page();

    public async Task<IActionResult> OnPostAsync([FromForm] string? token)
    {
        var address = HttpContext.Connection.RemoteIpAddress;
        var (blockedFor, attempt) = await throttle.AttemptAsync(address, HttpContext.RequestAborted);
        if (blockedFor is not null)
        {
            Error = $"Too many failed sign-ins from your address: at most {AdminAuthThrottle.FailuresPerMinute} a minute. Wait a minute and try again.";
            return Page();
        }

        if (string.IsNullOrWhiteSpace(token) || verifier.Verify(token.Trim()) is not { } actor)
        {
            logger.LogWarning("A console sign-in was refused: the token is not the admin token.");
            Error = "That is not the admin token. Check for a missing character, or ask whoever runs the server.";
            return Page();
        }

        await throttle.SucceededAsync(address, attempt);
        await AdminSession.EndPresentedAsync(HttpContext);
        await HttpContext.SignInAsync(AdminSession.Scheme, AdminSession.Principal(actor), AdminSession.NewSession(time.GetUtcNow()));
        logger.LogInformation("{Actor} signed in to the console.", actor);
        return LocalRedirect(Target);
    }

    // Only a path of this site: an absolute or protocol-relative URL would make sign-in an open redirect.
    private string Target => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
