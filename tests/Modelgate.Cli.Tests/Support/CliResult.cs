using System.Text.Json;

namespace Modelgate.Cli.Tests.Support;

/// <summary>What one run of the tool gave: its exit code and everything it wrote.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Stdout parsed as JSON (for <c>--output json</c> runs).</summary>
    public JsonElement Json() => JsonDocument.Parse(Out).RootElement.Clone();

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
