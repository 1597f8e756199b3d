using Microsoft.ML.Tokenizers;

namespace Modelgate.Core.Usage;

/// <summary>
/// Counts tokens with a real tokenizer (tiktoken's o200k_base, the vocabulary of current OpenAI models) where a
/// provider reports none. For other providers' models the count is close, not exact: such counts are marked
/// estimated. The vocabulary is embedded in the package and loaded on first use.
/// </summary>
public static class TokenEstimator
{
    // Per message: role and separators, as OpenAI's own counting guide does it.
    private const int PerMessage = 3;

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Tokenizer.Value.CountTokens(text);

    /// <summary>Tokens of a prompt made of these message texts (each text one message).</summary>
    public static int CountMessages(IEnumerable<string> texts) => texts.Sum(t => Count(t) + PerMessage) + 3;
}
