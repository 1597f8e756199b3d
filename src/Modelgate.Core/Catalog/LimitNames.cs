namespace Modelgate.Core.Catalog;

/// <summary>The admin API's names of <see cref="LimitKinds"/>, both ways.</summary>
public static class LimitNames
{
    public const string RequestsPerMinute = "requests_per_minute";
    public const string TokensPerMinute = "tokens_per_minute";
    public const string ConcurrentRequests = "concurrent_requests";
    public const string Budget = "budget";

    private static readonly (LimitKinds Kind, string Name)[] All =
    [
        (LimitKinds.RequestsPerMinute, RequestsPerMinute),
        (LimitKinds.TokensPerMinute, TokensPerMinute),
        (LimitKinds.ConcurrentRequests, ConcurrentRequests),
        (LimitKinds.Budget, Budget),
    ];

    /// <summary>The name of one kind.</summary>
    public static string Of(LimitKinds kind) => All.Single(k => k.Kind == kind).Name;

    /// <summary>The names of a set of kinds, in a fixed order.</summary>
    public static IReadOnlyList<string> List(LimitKinds kinds) => [.. All.Where(k => (kinds & k.Kind) != 0).Select(k => k.Name)];

    /// <summary>The kind a name stands for, or false for an unknown name.</summary>
    public static bool TryParse(string? name, out LimitKinds kind)
    {
        kind = All.FirstOrDefault(k => k.Name == name).Kind;
        return kind != LimitKinds.None;
    }

    /// <summary>The set of kinds a list of names stands for; a name it does not know is left out (validate first).</summary>
    public static LimitKinds Parse(IEnumerable<string?> names) =>
        names.Aggregate(LimitKinds.None, (kinds, name) => TryParse(name, out var kind) ? kinds | kind : kinds);

    /// <summary>The kinds a change names: <paramref name="current"/> when absent, none when null or empty.</summary>
    public static LimitKinds Or(Optional<string[]?> names, LimitKinds current) => names.HasValue ? Parse(names.Value ?? []) : current;
}
