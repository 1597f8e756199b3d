using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Modelgate.Server.Ui.Security;

namespace Modelgate.Server.Ui.Pages;

/// <summary>Ends the session (POST only, with the CSRF token, so no link or image elsewhere can sign anyone out).</summary>
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(AdminSession.Scheme);
        return LocalRedirect("/sign-in");
    }
}
