namespace Modelgate.Core.Catalog;

/// <summary>The names of <see cref="ExperimentStickiness"/> values as the API and the database spell them.</summary>
public static class ExperimentStickinesses
{
    public static IReadOnlyList<string> AllNames { get; } = ["session", "key", "request"];

    public static string ToName(this ExperimentStickiness stickiness) => stickiness switch
    {
        ExperimentStickiness.Key => "key",
        ExperimentStickiness.Request => "request",
        _ => "session",
    };

    public static bool TryParse(string? name, out ExperimentStickiness stickiness)
    {
        (var known, stickiness) = name switch
        {
            "session" => (true, ExperimentStickiness.Session),
            "key" => (true, ExperimentStickiness.Key),
            "request" => (true, ExperimentStickiness.Request),
            _ => (false, ExperimentStickiness.Session),
        };
        return known;
    }
}
