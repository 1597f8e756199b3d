using Microsoft.AspNetCore.Diagnostics;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Api;

/// <summary>
/// Last line: an unexpected exception becomes a problem without a stack trace or internals. A secret that
/// cannot be decrypted fails closed with a message that names the row, never the secret.
/// </summary>
internal sealed partial class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            SecretDecryptionException e => (StatusCodes.Status500InternalServerError, "A stored secret cannot be decrypted", e.Message),
            MasterKeyException e => (StatusCodes.Status500InternalServerError, "Master key problem", e.Message),
            BadHttpRequestException e => (e.StatusCode, "Bad request", "The request could not be read."),
            _ when CatalogMonitor.IsDatabaseUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Catalog database unavailable",
                "The catalog database cannot be reached, so changes cannot be saved now; resolution goes on from the last-known-good catalog. Retry when /health reports Healthy."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on the server; the error has been logged with the trace id."),
        };
        LogFailure(logger, exception.GetType().Name, context.Request.Path, exception);
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed with {ExceptionType} on {Path}")]
    private static partial void LogFailure(ILogger logger, string exceptionType, string path, Exception exception);
}
