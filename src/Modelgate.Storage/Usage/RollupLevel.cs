namespace Modelgate.Storage.Usage;

/// <summary>
/// What a rollup row's series is. Every call is summed three times: under its own series (key, purpose, variant,
/// provider, model, operation, source), under its model's (a series with only provider and model) and under its key's
/// (only the key). A view grouped and filtered by no more than model and provider — or than key and team — reads the
/// few rows of that level (a model's or a key's per hour) instead of one per series: at a thousand series, a
/// thousandth as many rows.
/// </summary>
internal static class RollupLevel
{
    public const int Series = 0;
    public const int Model = 1;
    public const int Key = 2;

    public static readonly int[] All = [Series, Model, Key];

    /// <summary>The coarsest level that answers the request exactly.</summary>
    public static int For(UsageRequest request)
    {
        var dimensions = request.GroupBy.Where(d => d is not (UsageDimension.Status or UsageDimension.Day or UsageDimension.Hour)).ToList();
        var byKey = dimensions.All(d => d is UsageDimension.Key or UsageDimension.Team)
            && request is { ModelId: null, ModelIds: null, ProviderId: null, Purpose: null };
        var byModel = dimensions.All(d => d is UsageDimension.Model or UsageDimension.Provider)
            && request is { KeyId: null, Purpose: null, Team: null };
        return byKey ? Key : byModel ? Model : Series;
    }
}
