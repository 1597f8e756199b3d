namespace Modelgate.Core.Usage;

/// <summary>
/// Adds up the tokens of texts with a bounded amount of tokenizer work: the first characters, up to the exact budget,
/// are counted with the tokenizer; the characters after them are counted at the rate (tokens per character) the
/// counted ones showed, or at four characters a token when none were counted.
/// </summary>
public sealed class TokenTally(int exactChars)
{
    private const double CharsPerToken = 4;

    private int _budget = Math.Max(0, exactChars);
    private long _exactTokens;
    private long _exactChars;
    private long _otherChars;

    /// <summary>Adds a text; <paramref name="moreChars"/> are characters that followed it but were not kept.</summary>
    public void Add(ReadOnlySpan<char> text, long moreChars = 0)
    {
        var take = Math.Min(text.Length, _budget);
        if (take > 0 && take < text.Length && char.IsHighSurrogate(text[take - 1]))
        {
            take--;
        }

        if (take > 0)
        {
            _exactTokens += TokenEstimator.CountPieces(text[..take]);
            _exactChars += take;
            _budget -= take;
        }

        _otherChars += text.Length - take + Math.Max(0, moreChars);
    }

    public void Add(string? text) => Add(text.AsSpan());

    /// <summary>The tokens counted so far.</summary>
    public long Tokens =>
        _exactTokens + (_otherChars == 0 ? 0
            : (long)Math.Ceiling(_exactChars > 0 ? _otherChars * ((double)_exactTokens / _exactChars) : _otherChars / CharsPerToken));
}
