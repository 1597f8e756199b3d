using Microsoft.AspNetCore.Connections;

namespace Modelgate.Server.Api;

/// <summary>
/// Tells a request that failed because its caller stopped sending it (closed or reset the connection, or sent less
/// body than its Content-Length announced) from a failure of the server: the first is the caller's doing, answered
/// quietly (a gateway call is recorded as <c>client_closed</c>), never logged as an error with a stack trace.
/// </summary>
internal static class CallerLeft
{
    /// <summary>nginx's "client closed request": a status for the logs and the usage record, never seen by the caller.</summary>
    public const int Status = 499;

    // Kestrel throws BadHttpRequestException when the connection ends before the announced body, and it can do so a
    // moment before it signals RequestAborted: the abort alone would let that race pass as a server failure. Any other
    // IOException counts only once the request is aborted, as it may come from a provider or a file.
    public static bool Explains(Exception error, HttpContext context) => error switch
    {
        BadHttpRequestException or ConnectionResetException or ConnectionAbortedException => true,
        OperationCanceledException or IOException => context.RequestAborted.IsCancellationRequested,
        _ => false,
    };
}
