namespace Modelgate.Server.Ui;

/// <summary>
/// Writes problems as the console's HTML error page when a browser asked for a console address; registered ahead of
/// the JSON writer, so every error path (exceptions, empty status codes) gets it without a special case.
/// </summary>
internal sealed class ConsoleProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => ConsoleErrorPage.Applies(context.HttpContext);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        // The API's sentences for these point at its own documentation; a browser gets the console's.
        var ownWords = status is StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed;
        var title = status == StatusCodes.Status404NotFound ? "Not found" : ownWords ? "That did not work" : context.ProblemDetails.Title ?? "That did not work";
        var detail = ownWords ? ConsoleErrorPage.DetailFor(status) : context.ProblemDetails.Detail ?? ConsoleErrorPage.DetailFor(status);
        return new ValueTask(ConsoleErrorPage.WriteAsync(context.HttpContext, status, title, detail));
    }
}
