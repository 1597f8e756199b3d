using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary>A kind of catalog object the tool lists and reads: its API path and its table's columns.</summary>
/// <param name="Singular">The name <c>get</c> takes (<c>provider</c>).</param>
/// <param name="Plural">The name <c>list</c> takes (<c>providers</c>).</param>
/// <param name="Path">Its collection under <c>/api/v1/</c>.</param>
/// <param name="Columns">What a table shows of each item.</param>
/// <param name="ByIdOnly">True when the API reads one item by id only, so a name is looked up in the list.</param>
public sealed record Resource(string Singular, string Plural, string Path, IReadOnlyList<Column> Columns, bool ByIdOnly);
