using Modelgate.Core.Catalog;

namespace Modelgate.Core.Usage;

/// <summary>
/// List prices (USD per million tokens) of well-known OpenAI and Anthropic models, used when a model is created
/// without prices so that its usage is never recorded as free by mistake. Administrators can change them like any
/// price. A name matches its family alone or followed by a date, so dated versions (<c>claude-sonnet-4-20250514</c>,
/// <c>gpt-4o-mini-2024-07-18</c>) find their family and nothing else does. Local models (Ollama) cost an explicit zero.
/// </summary>
public static partial class BuiltInPrices
{
    /// <summary>When the list was last checked against the providers' price pages.</summary>
    public const string AsOf = "2026-11";

    private static readonly (string Prefix, Pricing Price)[] OpenAI =
    [
        ("gpt-5-pro", new(15.00m, 120.00m)),
        ("gpt-5-nano", new(0.05m, 0.40m, 0.005m)),
        ("gpt-5-mini", new(0.25m, 2.00m, 0.025m)),
        ("gpt-5", new(1.25m, 10.00m, 0.125m)),
        ("gpt-4.1-nano", new(0.10m, 0.40m, 0.025m)),
        ("gpt-4.1-mini", new(0.40m, 1.60m, 0.10m)),
        ("gpt-4.1", new(2.00m, 8.00m, 0.50m)),
        ("gpt-4o-mini", new(0.15m, 0.60m, 0.075m)),
        ("gpt-4o", new(2.50m, 10.00m, 1.25m)),
        ("o4-mini", new(1.10m, 4.40m, 0.275m)),
        ("o3-mini", new(1.10m, 4.40m, 0.55m)),
        ("o3-pro", new(20.00m, 80.00m)),
        ("o3", new(2.00m, 8.00m, 0.50m)),
        ("o1-pro", new(150.00m, 600.00m)),
        ("o1-mini", new(1.10m, 4.40m, 0.55m)),
        ("o1", new(15.00m, 60.00m, 7.50m)),
        ("text-embedding-3-small", new(0.02m, 0m)),
        ("text-embedding-3-large", new(0.13m, 0m)),
        ("text-embedding-ada-002", new(0.10m, 0m)),
    ];

    private static readonly (string Prefix, Pricing Price)[] Anthropic =
    [
        ("claude-opus-4-5", new(5.00m, 25.00m, 0.50m)),
        ("claude-opus-4-1", new(15.00m, 75.00m, 1.50m)),
        ("claude-opus-4", new(15.00m, 75.00m, 1.50m)),
        ("claude-sonnet-4-5", new(3.00m, 15.00m, 0.30m)),
        ("claude-sonnet-4", new(3.00m, 15.00m, 0.30m)),
        ("claude-3-7-sonnet", new(3.00m, 15.00m, 0.30m)),
        ("claude-3-5-sonnet", new(3.00m, 15.00m, 0.30m)),
        ("claude-haiku-4-5", new(1.00m, 5.00m, 0.10m)),
        ("claude-3-5-haiku", new(0.80m, 4.00m, 0.08m)),
        ("claude-3-haiku", new(0.25m, 1.25m, 0.03m)),
    ];

    private static readonly Pricing Free = new(0m, 0m, 0m);

    /// <summary>The list price of <paramref name="modelId"/> at a provider of <paramref name="kind"/>, or null when not known.</summary>
    public static Pricing? For(ProviderKind kind, string modelId) => kind switch
    {
        ProviderKind.Ollama => Free,
        ProviderKind.OpenAI or ProviderKind.AzureOpenAI => Find(OpenAI, modelId),
        ProviderKind.Anthropic => Find(Anthropic, modelId),
        _ => null,
    };

    private static Pricing? Find((string Prefix, Pricing Price)[] list, string modelId) =>
        list.Where(e => modelId.StartsWith(e.Prefix, StringComparison.OrdinalIgnoreCase) && Version().IsMatch(modelId[e.Prefix.Length..]))
            .Select(e => e.Price)
            .FirstOrDefault();

    // What may follow a family name: nothing, a date (-2024-07-18, -20250514) or -latest. Anything else (-pro, -audio,
    // -realtime, a fine-tune) is another model with other prices: better unpriced, and visible as such, than wrong.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(-\d{4}-\d{2}-\d{2}|-\d{8}|-latest)?$")]
    private static partial System.Text.RegularExpressions.Regex Version();
}
