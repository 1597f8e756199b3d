using Microsoft.Extensions.Configuration;
using Modelgate.Server.Gateway;
using Modelgate.Server.Hosting;

namespace Modelgate.Server.Tests;

/// <summary>The MODELGATE_GATEWAY_* settings: unset means the default, a bad value stops the start naming the setting.</summary>
public sealed class GatewaySettingsTests
{
    private static GatewayOptions Read(params (string Name, string Value)[] settings) =>
        GatewayOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Name, (string?)s.Value))).Build());

    [Fact]
    public void Unset_GivesTheDocumentedDefaults()
    {
        var options = Read();

        Assert.Equal(32L * 1024 * 1024, options.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromSeconds(300), options.RequestTimeout);
        Assert.Equal(4096, options.MaxConcurrentRequests);
        Assert.Equal(4096, options.MaxConnectionsPerProvider);
        Assert.Equal(TimeSpan.FromSeconds(30), options.DrainTimeout);
    }

    [Fact]
    public void ValidValues_AreTaken_AndTheConnectionCapFollowsTheConcurrencyLimit()
    {
        var options = Read(("MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS", "2.5"), ("MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS", "64"), ("MODELGATE_SHUTDOWN_DRAIN_SECONDS", "0"));

        Assert.Equal(TimeSpan.FromSeconds(2.5), options.RequestTimeout);
        Assert.Equal(64, options.MaxConcurrentRequests);
        Assert.Equal(64, options.MaxConnectionsPerProvider);
        Assert.Equal(TimeSpan.Zero, options.DrainTimeout);
    }

    [Theory]
    [InlineData("MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS", "5m")]
    [InlineData("MODELGATE_GATEWAY_REQUEST_TIMEOUT_SECONDS", "0")]
    [InlineData("MODELGATE_GATEWAY_FIRST_BYTE_TIMEOUT_SECONDS", "100000")]
    [InlineData("MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS", "-1")]
    [InlineData("MODELGATE_GATEWAY_MAX_CONCURRENT_REQUESTS", "3000000000")]
    [InlineData("MODELGATE_GATEWAY_MAX_RESPONSE_BYTES", "32MB")]
    [InlineData("MODELGATE_SHUTDOWN_DRAIN_SECONDS", "-5")]
    public void ABadValue_StopsTheStart_NamingTheSettingAndTheValue(string name, string value)
    {
        var error = Assert.Throws<StartupException>(() => Read((name, value)));

        Assert.Equal(StartupException.BadConfiguration, error.ExitCode);
        Assert.StartsWith(name + " must be ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }
}
