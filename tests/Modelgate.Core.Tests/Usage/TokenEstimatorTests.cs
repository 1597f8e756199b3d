using Microsoft.ML.Tokenizers;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Tests.Usage;

/// <summary>The tokenizer estimate: exact for ordinary text, bounded for any text.</summary>
public sealed class TokenEstimatorTests
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");

    private const string Paragraph =
        "The gateway forwards each request to the model configured now. When a provider reports no usage, the tokens are " +
        "counted here instead, and the record says so.\nIt keeps going: numbers like 12345 and 3.14159, punctuation (here!), " +
        "an e-mail such as ops@example.com, and some code: `var x = new List<int> { 1, 2, 3 };`   with   odd spacing.";

    [Fact]
    public void Count_OrdinaryText_IsTheTokenizersOwnCount()
    {
        var text = string.Concat(Enumerable.Repeat(Paragraph + "\n\n", 4));
        Assert.True(text.Length < TokenEstimator.ExactChars);

        Assert.Equal(O200k.CountTokens(text), TokenEstimator.Count(text));
    }

    [Fact]
    public void Count_RunOfOneLetter_IsHandedOverInPiecesOfBoundedLength()
    {
        // Byte-pair merging is quadratic in a piece's length; a run of one letter is one piece unless it is cut.
        var run = new string('a', 1000);
        var pieces = 1000 / TokenEstimator.MaxPiece;
        var expected = (pieces * O200k.CountTokens(new string('a', TokenEstimator.MaxPiece))) + O200k.CountTokens(new string('a', 1000 % TokenEstimator.MaxPiece));

        Assert.Equal(expected, TokenEstimator.Count(run, exactChars: 1000));
    }

    [Fact]
    public void Count_BeyondTheExactBudget_CountsTheRestAtTheRateOfTheCountedPart()
    {
        var sample = string.Concat(Enumerable.Repeat(Paragraph + " ", 40))[..TokenEstimator.ExactChars];
        var text = string.Concat(Enumerable.Repeat(sample, 1000));
        var counted = TokenEstimator.Count(sample);

        Assert.Equal(counted * 1000, TokenEstimator.Count(text));
    }

    [Fact]
    public void Count_WithNoExactBudget_CountsFourCharactersAToken()
    {
        Assert.Equal(250, TokenEstimator.Count(new string('x', 1000), exactChars: 0));
        Assert.Equal(0, TokenEstimator.Count("", exactChars: 0));
    }

    [Fact]
    public void CountMessages_SharesOneBudget_AcrossMessages()
    {
        var message = new string('b', TokenEstimator.ExactChars);
        var one = TokenEstimator.CountMessages([message]);
        var three = TokenEstimator.CountMessages([message, message, message]);

        // The second and third messages are counted at the first one's rate: the same tokens, plus 3 per message.
        Assert.Equal(one + (2 * (one - 6)) + 6, three);
    }

    [Fact]
    public void TextSample_KeepsItsFirstCharacters_AndCountsTheRest()
    {
        var sample = new TextSample(keep: 10);
        sample.Append("0123456789abcdef");
        sample.Append("ghij");
        sample.Skip(5);

        Assert.Equal("0123456789", sample.ToString());
        Assert.Equal(25, sample.Length);
        Assert.True(sample.IsFull);
    }

    [Fact]
    public void TextSample_CountsLikeTheWholeText()
    {
        var text = string.Concat(Enumerable.Repeat(Paragraph, 200));
        var sample = new TextSample();
        foreach (var chunk in text.Chunk(7))
        {
            sample.Append(new string(chunk));
        }

        Assert.Equal(TokenEstimator.Count(text), sample.CountTokens());
    }
}
