using Microsoft.AspNetCore.Diagnostics;

namespace Modelgate.Server.Api;

/// <summary>
/// Gives the empty error responses the framework produces itself (unknown route, wrong method, wrong
/// content type) a problem body that says what to do instead.
/// </summary>
internal static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var detail = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "Nothing is at this path. The API is described at /openapi/v1.json and browsable at /scalar.",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on this path; see /openapi/v1.json for the methods it accepts.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
            _ => null,
        };
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = http.Response.StatusCode, Detail = detail } });
    }
}
