using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary>
/// Last line: an unexpected exception becomes a problem without a stack trace or internals. A secret that
/// cannot be decrypted fails closed with a message that names the row, never the secret. An unreachable database
/// is a 503 that says what could not be done: a read is not shown, a change is not saved. A caller that left
/// mid-request is the caller's doing and gets one debug line, not an error.
/// </summary>
internal sealed partial class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (CallerLeft.Explains(exception, context))
        {
            // Without the exception: a caller that leaves on purpose, again and again, must not fill the log with traces.
            LogCallerLeft(logger, context.Request.Path, exception.Message);
            if (exception is not BadHttpRequestException)
            {
                context.Response.StatusCode = CallerLeft.Status;
                return true;
            }
        }
        else
        {
            LogFailure(logger, exception.GetType().Name, context.Request.Path, exception);
        }

        var (status, title, detail) = exception switch
        {
            SecretDecryptionException e => (StatusCodes.Status500InternalServerError, "A stored secret cannot be decrypted", e.Message),
            MasterKeyException e => (StatusCodes.Status500InternalServerError, "Master key problem", e.Message),
            // Also what a caller still there gets for a body it could not send whole (the connection alone cannot tell).
            BadHttpRequestException e => (e.StatusCode, "Bad request", "The request could not be read."),
            _ when CatalogMonitor.IsDatabaseUnavailable(exception) && IsRead(context.Request) =>
                (StatusCodes.Status503ServiceUnavailable, "Database unavailable", ReadRefusal(context)),
            _ when CatalogMonitor.IsDatabaseUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Catalog database unavailable",
                "The catalog database cannot be reached, so changes cannot be saved now; resolution goes on from the last-known-good catalog. Retry when /health reports Healthy."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on the server; the error has been logged with the trace id."),
        };
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    // A read that fails loses nothing: it must not say a change could not be saved.
    private static bool IsRead(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    // Names the API's resource by its OpenAPI tag (Usage, Providers, Audit, ...); a console page has none. The
    // exception handler has cleared the request's endpoint: the one that failed is kept on the handler's feature.
    private static string ReadRefusal(HttpContext context)
    {
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var refused = endpoint?.Metadata.GetMetadata<ITagsMetadata>()?.Tags.FirstOrDefault() is { } resource
            ? $"{resource} cannot be read now"
            : "This page cannot be shown now";
        return refused + ": the database is unreachable. It is shown again once the database is back (when /health reports Healthy).";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed with {ExceptionType} on {Path}")]
    private static partial void LogFailure(ILogger logger, string exceptionType, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The caller of {Path} left before its request was read or answered: {Reason}")]
    private static partial void LogCallerLeft(ILogger logger, string path, string reason);
}
