using Microsoft.AspNetCore.WebUtilities;

namespace Modelgate.Server.Ui;

/// <summary>Previous/next links for a paged list; <paramref name="Query"/> carries the list's filters along.</summary>
internal sealed record Pager(int Total, int Limit, int Offset, string Path, IReadOnlyDictionary<string, string?>? Query = null)
{
    /// <summary>The largest offset a console list accepts; larger ones (and negative ones) are brought into range.</summary>
    public const int MaxOffset = 1_000_000;

    public static int Clamp(int offset) => Math.Clamp(offset, 0, MaxOffset);

    /// <summary>An offset beyond the last item (a stale link): the page offers the first page instead.</summary>
    public bool PastTheEnd => Total > 0 && Offset >= Total;

    public string FirstPage => Link(0);

    public int First => Total == 0 ? 0 : Offset + 1;

    public int Last => Math.Min(Total, Offset + Limit);

    public string? Previous => Offset > 0 ? Link(Math.Max(0, Offset - Limit)) : null;

    public string? Next => Offset + Limit < Total ? Link(Offset + Limit) : null;

    private string Link(int offset)
    {
        var query = (Query ?? new Dictionary<string, string?>()).Where(q => !string.IsNullOrEmpty(q.Value)).ToDictionary();
        query["offset"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString(Path, query);
    }
}
