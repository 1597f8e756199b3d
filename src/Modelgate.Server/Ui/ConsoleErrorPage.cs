using System.Text.Encodings.Web;
using Modelgate.Server.Ui.Security;

namespace Modelgate.Server.Ui;

/// <summary>
/// The error page a browser gets for a console address (an unknown page, an expired form, an unreachable database)
/// instead of the API's problem JSON: what went wrong and a way back. The same sentence the API would give (never a
/// stack trace or internals; the master key messages name what to configure, not a secret).
/// </summary>
internal static class ConsoleErrorPage
{
    private static readonly string[] NotConsole = ["/api", "/v1", "/openapi", "/scalar", "/health", "/metrics", "/ui"];

    /// <summary>Whether the request is a browser asking for a console page.</summary>
    public static bool Applies(HttpContext context) =>
        !NotConsole.Any(prefix => context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
        && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static string DetailFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "There is nothing at this address. It may have been deleted, or the link is wrong.",
        StatusCodes.Status400BadRequest => "The form could not be accepted: it has expired or did not come from this console. Reload the page and send it again.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take that kind of request.",
        _ => "Something went wrong on the server; it has been logged.",
    };

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ConsoleSecurityHeaders.ContentSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        var html = HtmlEncoder.Default;
        await response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{html.Encode(title)} · Modelgate</title><link rel="stylesheet" href="/ui/site.css?v={UiAssets.Version}"><link rel="icon" href="data:,"></head>
            <body><header class="top"><a class="brand" href="/">Modelgate</a></header>
            <main id="main"><h1>{html.Encode(title)}</h1><p class="error-box" role="alert">{html.Encode(detail)}</p>
            <p><a href="/">Back to the overview</a></p></main></body>
            </html>
            """);
    }
}
