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

    /// <summary>An embeddings call's tokens counted here: each input's tokens, marked estimated.</summary>
    public static TokenCounts EstimateInputs(IEnumerable<string> inputs) => new(inputs.Sum(i => (long)Count(i)), 0, 0, Estimated: true);

    /// <summary>A chat call's tokens counted here: the prompt's messages and the answer's text, marked estimated.</summary>
    public static TokenCounts Estimate(IEnumerable<string> prompt, string? answer) => new(CountMessages(prompt), Count(answer), 0, Estimated: true);
}
