namespace Modelgate.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>A difference was found (diff and drift).</summary>
    public const int DifferenceFound = 1;

    /// <summary>The command failed: a bad command line, a refusal by the server, or no server to reach.</summary>
    public const int Error = 2;
}
