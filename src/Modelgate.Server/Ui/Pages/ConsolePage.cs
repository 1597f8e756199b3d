using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Modelgate.Core.Catalog;
using Modelgate.Server.Auth;

namespace Modelgate.Server.Ui.Pages;

/// <summary>
/// What every console page shares: who is acting (the same actor name the admin API records), a notice carried
/// across a redirect, and the server's refusal of the last change, shown next to the fields it names.
/// </summary>
internal abstract class ConsolePage : PageModel
{
    public const string NoticeKey = "notice";

    /// <summary>The refusal of the change just attempted, if any; nothing was written when there is one.</summary>
    public CatalogError? Refusal { get; private set; }

    protected string Actor => User.Actor();

    /// <summary>
    /// The configuration file that owns the object (an id or name, <see cref="ManagedObjects"/> kinds), or null: the
    /// edit pages warn that a change made here is undone by the next apply of that file.
    /// </summary>
    public string? ManagedBy(string kind, string? idOrName)
    {
        var snapshot = HttpContext.RequestServices.GetRequiredService<Core.Resolution.CurrentCatalog>().State.Snapshot;
        return Api.ManagedObjectGuard.IsManaged(snapshot, kind, idOrName) ? snapshot.Managed.Source : null;
    }

    /// <summary>The server's message for one form field, or null.</summary>
    public string? ErrorFor(string field) =>
        Refusal?.Errors is { } errors && errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary><c>aria-invalid</c> for a field: "true" when it has an error, else absent.</summary>
    public string? Invalid(string field) => ErrorFor(field) is null ? null : "true";

    /// <summary><c>aria-describedby</c> for a field: its error message's id when it has one, else absent.</summary>
    public string? DescribedBy(string field) => ErrorFor(field) is null ? null : field + "-error";

    /// <summary>
    /// Shows the refusal on the page the form was on. The page itself is answered with 200: the refusal is its
    /// content (a 4xx document would be a console error in the browser); the admin API answers with the status codes.
    /// </summary>
    protected IActionResult Refused(CatalogError error)
    {
        Refusal = error;
        return Page();
    }

    /// <summary>
    /// A refusal's sentence as the console says it: the admin API's own remedies (<c>?force=true</c>, ETags) become
    /// what to do on the page.
    /// </summary>
    public static string Describe(CatalogError refusal) => refusal switch
    {
        { Kind: CatalogErrorKind.PreconditionFailed } =>
            "Someone else changed it after you opened this page. The form now shows the current values: make your change again.",
        { CanForce: true } => refusal.Detail.Replace("pass ?force=true to", "use the button below to", StringComparison.Ordinal),
        _ => refusal.Detail,
    };

    /// <summary>Post/redirect/get: the notice is shown once on the page redirected to.</summary>
    protected IActionResult Done(string notice, string location)
    {
        TempData[NoticeKey] = notice;
        return LocalRedirect(location);
    }
}
