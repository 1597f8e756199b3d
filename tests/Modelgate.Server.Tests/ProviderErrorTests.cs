using Modelgate.Server.Gateway;

namespace Modelgate.Server.Tests;

/// <summary>Reading what a provider said when it failed never throws (it runs where a throw would be a 500), whatever the body.</summary>
public sealed class ProviderErrorTests
{
    [Theory]
    [InlineData("""{"error":{"message":"The model `x` does not exist","code":"model_not_found"}}""", "The model `x` does not exist", "model_not_found")]
    [InlineData("""{"type":"error","error":{"type":"not_found_error","message":"model: claude-x"}}""", "model: claude-x", "not_found_error")]
    [InlineData("""{"error":"model \"x\" not found, try pulling it first"}""", "model \"x\" not found, try pulling it first", null)]
    [InlineData("""[{"error":{"code":404,"message":"models/x is not found for API version v1beta","status":"NOT_FOUND"}}]""", "models/x is not found for API version v1beta", null)]
    [InlineData("no such route", "no such route", null)]
    public void ProvidersErrorShapes_AreRead(string body, string message, string? code)
    {
        var (said, saidCode) = ProviderError.Read(body);

        Assert.Equal(message, said);
        Assert.Equal(code, saidCode);
    }

    [Theory]
    [InlineData("""{"error":{"message":"\ud800","code":"x"}}""")]
    [InlineData("""{"error":"\udc00 broken"}""")]
    [InlineData("""{"message":"\ud800"}""")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("[]")]
    public void ABodyWithNothingToQuote_YieldsNothing_AndDoesNotThrow(string body)
    {
        var (said, _) = ProviderError.Read(body);

        Assert.Null(said);
    }
}
