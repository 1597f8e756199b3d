namespace Modelgate.Cli;

/// <summary>
/// A failure to report to the user as one message on stderr, with exit code 2. A refusal by the server also carries
/// its status and its per-field errors (for a configuration file, keyed by their path in the document).
/// </summary>
public sealed class CliException(string message) : Exception(message)
{
    /// <summary>The server's HTTP status, when the server refused.</summary>
    public int? Status { get; init; }

    /// <summary>The problem's <c>errors</c>: field (or document path) → messages.</summary>
    public IReadOnlyDictionary<string, string[]>? FieldErrors { get; init; }
}
