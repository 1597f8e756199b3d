namespace Modelgate.Cli;

/// <summary>A failure to report to the user as one message on stderr, with exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
