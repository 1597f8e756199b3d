using System.Text.Json;
using Spectre.Console;

namespace Modelgate.Cli.Output;

/// <summary>Builds Spectre tables from rows of JSON; cells are plain text, never markup.</summary>
public static class Tables
{
    /// <summary>A table of JSON rows.</summary>
    public static Table Of(IEnumerable<JsonElement> rows, IReadOnlyList<Column> columns) =>
        Of(columns.Select(c => c.Header).ToList(), rows.Select(row => columns.Select(c => c.Cell(row)).ToList()));

    /// <summary>A table of text rows.</summary>
    public static Table Of(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => new Text(cell)).ToArray());
        }

        return table;
    }
}
