namespace Modelgate.Cli.Output;

/// <summary>How results are printed.</summary>
public enum OutputFormat
{
    /// <summary>Tables for people.</summary>
    Table,

    /// <summary>The server's JSON, indented.</summary>
    Json,

    /// <summary>The same data as YAML.</summary>
    Yaml,
}
