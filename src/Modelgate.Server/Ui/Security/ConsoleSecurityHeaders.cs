using Microsoft.AspNetCore.Mvc.Filters;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Headers on every console page: a strict content security policy (scripts, styles and forms from this origin
/// only, no framing), no MIME sniffing, no referrer, and no caching of pages that show configuration.
/// </summary>
internal sealed class ConsoleSecurityHeaders : IAsyncPageFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return next();
    }
}
