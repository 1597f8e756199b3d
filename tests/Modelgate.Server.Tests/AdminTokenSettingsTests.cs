using Microsoft.Extensions.Configuration;
using Modelgate.Server.Hosting;

namespace Modelgate.Server.Tests;

/// <summary>The admin token chosen in MODELGATE_ADMIN_TOKEN: a guessable one stops the start, without being echoed.</summary>
public sealed class AdminTokenSettingsTests
{
    [Fact]
    public void A_short_admin_token_stops_the_start_with_its_length_never_its_value()
    {
        var error = Assert.Throws<StartupException>(() => Settings("hunter2-short-token"));

        Assert.Contains("MODELGATE_ADMIN_TOKEN is 19 characters long; use at least 20", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_enough_admin_token_is_used_and_an_empty_one_means_generate()
    {
        Assert.Equal("a-token-of-twenty-ch", Settings("a-token-of-twenty-ch").AdminToken);
        Assert.Null(Settings("").AdminToken);
    }

    private static ModelgateSettings Settings(string token) =>
        ModelgateSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MODELGATE_ADMIN_TOKEN"] = token }).Build());
}
