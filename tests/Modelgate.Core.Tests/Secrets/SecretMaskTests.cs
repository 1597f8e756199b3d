using Modelgate.Core.Secrets;

namespace Modelgate.Core.Tests.Secrets;

public sealed class SecretMaskTests
{
    [Theory]
    [InlineData("sk-ant-api03-abcdefghijklmnopqrstuvwxyzXwAA", "sk-ant-a...XwAA")]
    [InlineData("short-key-123", "sho...23")]
    [InlineData("tiny", "****")]
    public void Mask_ShowsOnlyAPrefixAndSuffix(string key, string expected) => Assert.Equal(expected, SecretMask.Mask(key));
}
