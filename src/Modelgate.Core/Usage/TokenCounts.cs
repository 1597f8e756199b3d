using Microsoft.Extensions.AI;

namespace Modelgate.Core.Usage;

/// <summary>
/// Tokens of one call. <see cref="Input"/> includes <see cref="CachedInput"/> (OpenAI counts them that way; Anthropic's
/// cache reads and writes are added in). <see cref="Estimated"/>: the provider gave no usage (or the stream was cut),
/// so the counts come from a tokenizer.
/// </summary>
public readonly record struct TokenCounts(long Input, long Output, long CachedInput = 0, bool Estimated = false)
{
    public static readonly TokenCounts None = default;

    /// <summary>More tokens than this in one call is not a count but a broken provider: such a count is not believed.</summary>
    public const long MaxPerCall = 100_000_000;

    /// <summary>Input tokens written to Anthropic's prompt cache for 5 minutes (part of <see cref="Input"/>; priced at 1.25 × input).</summary>
    public long CacheWrite { get; init; }

    /// <summary>Input tokens written to Anthropic's prompt cache for 1 hour (part of <see cref="Input"/>; priced at 2 × input).</summary>
    public long CacheWriteLong { get; init; }

    public static bool Plausible(long count) => count is >= 0 and <= MaxPerCall;

    /// <summary>
    /// The counts Microsoft.Extensions.AI reports for a call, or null when they are missing or beyond belief (then
    /// they are estimated). Chat needs input and output; embeddings input only.
    /// </summary>
    public static TokenCounts? From(UsageDetails? usage, bool requireOutput = true) =>
        usage is { InputTokenCount: { } input } && Plausible(input) && (usage.OutputTokenCount is { } output ? Plausible(output) : !requireOutput)
            ? new TokenCounts(input, usage.OutputTokenCount ?? 0, Math.Clamp(usage.CachedInputTokenCount ?? 0, 0, input))
            : null;

    public long Total => Input + Output;
}
