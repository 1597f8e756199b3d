namespace Modelgate.Server.Hosting;

/// <summary>
/// A start that cannot go on for a reason the operator can fix: the message says what is wrong and what to check, and
/// the process exits with <see cref="ExitCode"/> (docs/configuration.md, "Start-up") instead of crashing.
/// </summary>
public sealed class StartupException(string message, int exitCode, Exception? cause = null) : Exception(message, cause)
{
    /// <summary>A setting or the master key is wrong: starting again unchanged fails again.</summary>
    public const int BadConfiguration = 2;

    /// <summary>The database cannot be reached and there is no last-known-good snapshot: a later start may work.</summary>
    public const int DatabaseUnreachable = 3;

    public int ExitCode { get; } = exitCode;

    // Hosting logs an exception's ToString(): the message is what the operator can act on, a stack trace would bury it.
    public override string ToString() => Message;
}
