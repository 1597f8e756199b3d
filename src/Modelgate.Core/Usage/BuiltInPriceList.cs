using Modelgate.Core.Catalog;

namespace Modelgate.Core.Usage;

/// <summary>
/// A provider kind's list prices (USD per million tokens) by model family. A name matches its family alone or followed
/// by a date, so dated versions (<c>claude-sonnet-4-20250514</c>, <c>gpt-4o-mini-2024-07-18</c>) find their family and
/// nothing else does. Families are tried in order: list a longer name before its prefix (<c>gpt-4o-mini</c> before <c>gpt-4o</c>).
/// </summary>
public sealed partial class BuiltInPriceList
{
    private readonly (string Prefix, Pricing Price)[] _families;
    private readonly Pricing? _everyModel;

    private BuiltInPriceList((string Prefix, Pricing Price)[] families, Pricing? everyModel) => (_families, _everyModel) = (families, everyModel);

    /// <summary>No built-in prices: models stay unpriced (shown as such, never as free) until an administrator sets them.</summary>
    public static BuiltInPriceList None { get; } = new([], null);

    /// <summary>Every model costs an explicit zero (local models).</summary>
    public static BuiltInPriceList Free { get; } = new([], new Pricing(0m, 0m, 0m));

    public static BuiltInPriceList Of(params (string Prefix, Pricing Price)[] families) => new(families, null);

    /// <summary>The list price of <paramref name="modelId"/>, or null when not known.</summary>
    public Pricing? Find(string modelId) =>
        _everyModel ?? _families
            .Where(e => modelId.StartsWith(e.Prefix, StringComparison.OrdinalIgnoreCase) && Version().IsMatch(modelId[e.Prefix.Length..]))
            .Select(e => e.Price)
            .FirstOrDefault();

    // What may follow a family name: nothing, a date (-2024-07-18, -20250514) or -latest. Anything else (-pro, -audio,
    // -realtime, a fine-tune) is another model with other prices: better unpriced, and visible as such, than wrong.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(-\d{4}-\d{2}-\d{2}|-\d{8}|-latest)?$")]
    private static partial System.Text.RegularExpressions.Regex Version();
}
