using Microsoft.ML.Tokenizers;

namespace Modelgate.Core.Usage;

/// <summary>
/// Counts tokens with a real tokenizer (tiktoken's o200k_base, the vocabulary of current OpenAI models) where a
/// provider reports none. For other providers' models the count is close, not exact: such counts are marked
/// estimated. The vocabulary is embedded in the package and loaded on first use.
/// </summary>
/// <remarks>
/// The work is bounded whatever the text: at most <see cref="ExactChars"/> characters of a prompt (and as many of an
/// answer) go through the tokenizer, the rest is counted at the rate the counted part showed (see
/// <see cref="TokenTally"/>), and no piece handed to the tokenizer is longer than <see cref="MaxPiece"/> characters —
/// byte-pair merging is quadratic in a piece's length, so a run of one letter class (16k "a"s, a wall of CJK) would
/// otherwise cost seconds. A caller that wants no tokenizer work at all passes an exact budget of 0 and gets the
/// length-based rate of four characters a token.
/// </remarks>
public static class TokenEstimator
{
    /// <summary>Characters of one part (the prompt, or the answer) counted with the tokenizer at most.</summary>
    public const int ExactChars = 2_048;

    /// <summary>The longest run of non-space characters handed to the tokenizer as one piece.</summary>
    public const int MaxPiece = 64;

    // Spaces and line ends attach to the word after them in o200k's pieces, so cutting just before one keeps the
    // pieces whole: the sum over chunks is the tokenizer's own count for ordinary text.
    private const int ChunkChars = 512;

    // Per message: role and separators, as OpenAI's own counting guide does it.
    private const int PerMessage = 3;

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>Tokens of one text, counted within the bound.</summary>
    public static long Count(string? text, int exactChars = ExactChars)
    {
        var tally = new TokenTally(exactChars);
        tally.Add(text);
        return tally.Tokens;
    }

    /// <summary>Tokens of a prompt made of these message texts (each text one message).</summary>
    public static long CountMessages(IEnumerable<string> texts, int exactChars = ExactChars)
    {
        var tally = new TokenTally(exactChars);
        var messages = 0;
        foreach (var text in texts)
        {
            tally.Add(text);
            messages++;
        }

        return tally.Tokens + (messages * PerMessage) + 3;
    }

    /// <summary>An embeddings call's tokens counted here: each input's tokens, marked estimated.</summary>
    public static TokenCounts EstimateInputs(IEnumerable<string> inputs, int exactChars = ExactChars)
    {
        var tally = new TokenTally(exactChars);
        foreach (var input in inputs)
        {
            tally.Add(input);
        }

        return new TokenCounts(tally.Tokens, 0, 0, Estimated: true);
    }

    /// <summary>A chat call's tokens counted here: the prompt's messages and the answer's text, marked estimated.</summary>
    public static TokenCounts Estimate(IEnumerable<string> prompt, string? answer, int exactChars = ExactChars) =>
        new(CountMessages(prompt, exactChars), Count(answer, exactChars), 0, Estimated: true);

    /// <summary>A chat call's tokens counted here, from the part of the answer that was kept.</summary>
    public static TokenCounts Estimate(IEnumerable<string> prompt, TextSample answer, int exactChars = ExactChars) =>
        new(CountMessages(prompt, exactChars), answer.CountTokens(exactChars), 0, Estimated: true);

    /// <summary>The tokenizer's count of <paramref name="text"/>, handed over in chunks with no piece longer than <see cref="MaxPiece"/>.</summary>
    internal static long CountPieces(ReadOnlySpan<char> text)
    {
        var tokenizer = Tokenizer.Value;
        long tokens = 0;
        var start = 0;
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                // Only where a word ends: a cut inside a run of spaces or line ends would change how they are counted.
                if (run > 0 && i - start >= ChunkChars)
                {
                    tokens += tokenizer.CountTokens(text[start..i]);
                    start = i;
                }

                run = 0;
            }
            else if (++run > MaxPiece && !char.IsLowSurrogate(text[i]))
            {
                // A run too long to be a word: cut it (the count of such text is an estimate anyway).
                tokens += tokenizer.CountTokens(text[start..i]);
                start = i;
                run = 1;
            }
        }

        return start < text.Length ? tokens + tokenizer.CountTokens(text[start..]) : tokens;
    }
}
