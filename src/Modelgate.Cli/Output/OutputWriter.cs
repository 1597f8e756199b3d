using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Modelgate.Cli.Output;

/// <summary>Prints a result as a table (people) or as JSON/YAML (scripts) on the tool's output.</summary>
public sealed class OutputWriter(TextWriter writer, OutputFormat format)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The format chosen with <c>--output</c>.</summary>
    public OutputFormat Format { get; } = format;

    /// <summary>Prints <paramref name="data"/> as JSON or YAML, or the table made from it.</summary>
    public async Task WriteAsync(JsonElement data, Func<IRenderable> table)
    {
        switch (Format)
        {
            case OutputFormat.Json:
                await writer.WriteLineAsync(JsonSerializer.Serialize(data, Indented));
                break;
            case OutputFormat.Yaml:
                await writer.WriteAsync(JsonToYaml.Convert(data));
                break;
            default:
                Render(table());
                break;
        }
    }

    /// <summary>Prints rows of JSON objects as a table with the given columns.</summary>
    public Task WriteRowsAsync(JsonElement data, IEnumerable<JsonElement> rows, IReadOnlyList<Column> columns) =>
        WriteAsync(data, () => Tables.Of(rows, columns));

    /// <summary>Prints a line of text for people (also in JSON/YAML mode only when the caller decides so).</summary>
    public Task LineAsync(string text) => writer.WriteLineAsync(text);

    private void Render(IRenderable renderable)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        {
            console.Profile.Width = Console.WindowWidth;
        }
        else
        {
            // Redirected output (a pipe, a file, a test) gets wide rows rather than cells wrapped mid-word.
            console.Profile.Width = 240;
        }

        console.Write(renderable);
    }
}
