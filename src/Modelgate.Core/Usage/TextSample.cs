using System.Text;

namespace Modelgate.Core.Usage;

/// <summary>
/// The generated text of an answer, kept only as far as the token estimate needs it: the first characters (up to
/// <see cref="TokenEstimator.ExactChars"/>) and the length of the rest. A relayed answer of any size costs a few
/// kilobytes here, never a copy of itself.
/// </summary>
public sealed class TextSample(int keep = TokenEstimator.ExactChars)
{
    private readonly StringBuilder _kept = new();

    /// <summary>Characters seen, kept or not.</summary>
    public long Length { get; private set; }

    /// <summary>No more characters are kept; later ones are only counted.</summary>
    public bool IsFull => _kept.Length >= keep;

    public void Append(ReadOnlySpan<char> text)
    {
        Length += text.Length;
        var room = keep - _kept.Length;
        if (room > 0)
        {
            _kept.Append(text[..Math.Min(room, text.Length)]);
        }
    }

    public void Append(string? text) => Append(text.AsSpan());

    /// <summary>Counts characters that are not kept (the sample is full).</summary>
    public void Skip(long chars) => Length += Math.Max(0, chars);

    /// <summary>The tokens of everything seen: the kept part through the tokenizer (within the budget), the rest at its rate.</summary>
    public long CountTokens(int exactChars = TokenEstimator.ExactChars)
    {
        var tally = new TokenTally(exactChars);
        var kept = _kept.ToString();
        tally.Add(kept, Length - kept.Length);
        return tally.Tokens;
    }

    public override string ToString() => _kept.ToString();
}
