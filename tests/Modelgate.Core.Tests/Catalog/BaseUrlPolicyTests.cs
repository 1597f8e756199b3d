using System.Net;
using Modelgate.Core.Catalog;

namespace Modelgate.Core.Tests.Catalog;

public sealed class BaseUrlPolicyTests
{
    private readonly BaseUrlPolicy _default = new();
    private readonly BaseUrlPolicy _publicOnly = new(allowPrivateNetworks: false);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://169.254.169.254./")]
    [InlineData("http://2852039166/")]
    [InlineData("http://0xa9fea9fe/")]
    [InlineData("http://0xa9.0xfe.0xa9.0xfe/")]
    [InlineData("http://0251.0376.0251.0376/")]
    [InlineData("http://169.254.43518/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://[::a9fe:a9fe]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://METADATA.GOOGLE.INTERNAL./")]
    [InlineData("http://100.100.100.200/")]
    [InlineData("http://[fe80::1]/")]
    public void Check_CloudMetadataInAnySpelling_IsAlwaysRefused(string url)
    {
        var error = _default.Check(url);

        Assert.NotNull(error);
        Assert.Contains("metadata", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "http or https")]
    [InlineData("ftp://example.com/", "http or https")]
    [InlineData("gopher://example.com/", "http or https")]
    [InlineData("https://user:pass@api.example.com/", "credentials")]
    [InlineData("api.example.com/v1", "absolute URL")]
    [InlineData("https://api.example.com/#frag", "fragment")]
    public void Check_NonHttpOrUnsafeUrls_AreRefusedWithTheReason(string url, string reason)
    {
        var error = _default.Check(url);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.anthropic.com")]
    [InlineData("https://my-resource.openai.azure.com/openai/v1")]
    [InlineData("http://127.0.0.1:11434")]
    [InlineData("http://localhost:11434")]
    [InlineData("http://10.0.0.5:8000/v1")]
    [InlineData("http://192.168.1.20/v1")]
    public void Check_PublicAndPrivateAddresses_AreAllowedByDefault(string url) =>
        Assert.Null(_default.Check(url));

    [Theory]
    [InlineData("http://127.0.0.1:11434")]
    [InlineData("http://2130706433/")]
    [InlineData("http://localhost:11434")]
    [InlineData("http://10.0.0.5:8000/v1")]
    [InlineData("http://172.20.0.1/")]
    [InlineData("http://192.168.1.20/v1")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://[fd12:3456::1]/")]
    public void Check_PrivateAddresses_AreRefusedWhenConfigured(string url)
    {
        var error = _publicOnly.Check(url);

        Assert.NotNull(error);
        Assert.Contains("MODELGATE_ALLOW_PRIVATE_BASE_URLS", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PublicAddress_IsAllowedWhenPrivateRangesAreRefused() =>
        Assert.Null(_publicOnly.Check("https://api.openai.com/v1"));

    [Fact]
    public void CheckAddress_ResolvedMetadataAddress_IsRefused() =>
        Assert.NotNull(_default.CheckAddress(IPAddress.Parse("169.254.169.254")));
}
