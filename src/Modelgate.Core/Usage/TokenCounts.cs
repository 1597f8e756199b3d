namespace Modelgate.Core.Usage;

/// <summary>
/// Tokens of one call. <see cref="Input"/> includes <see cref="CachedInput"/> (OpenAI counts them that way; Anthropic's
/// cache reads and writes are added in). <see cref="Estimated"/>: the provider gave no usage (or the stream was cut),
/// so the counts come from a tokenizer.
/// </summary>
public readonly record struct TokenCounts(long Input, long Output, long CachedInput = 0, bool Estimated = false)
{
    public static readonly TokenCounts None = default;

    public long Total => Input + Output;
}
