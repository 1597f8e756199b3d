using System.Text.Json;

namespace Modelgate.Cli.Output;

/// <summary>A table column: its header and how a row's cell is read from the row's JSON.</summary>
public sealed record Column(string Header, Func<JsonElement, string> Cell)
{
    /// <summary>A column showing a field (a dotted path reaches into nested objects).</summary>
    public static Column Field(string header, string path) => new(header, row => JsonText.At(row, path));
}
