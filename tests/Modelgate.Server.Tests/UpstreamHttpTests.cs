using Modelgate.Core.Catalog;
using Modelgate.Server.Gateway;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>The handler all provider traffic uses checks the address it really connects to, whatever the URL said.</summary>
public sealed class UpstreamHttpTests
{
    [Fact]
    public async Task MetadataAddress_IsRefusedAtConnectTime()
    {
        using var client = new HttpClient(UpstreamHttp.CreateHandler(new BaseUrlPolicy(), 512));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://169.254.169.254/latest/meta-data/"));

        Assert.Contains("Refused to connect to 169.254.169.254", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostName_IsResolvedAndItsAddressChecked_WhenTheConnectionIsMade()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var url = $"http://localhost:{new Uri(upstream.Url).Port}/v1/chat/completions";
        static HttpContent Body() => System.Net.Http.Json.JsonContent.Create(new { model = "m", messages = new[] { new { role = "user", content = "hi" } } });
        using var strict = new HttpClient(UpstreamHttp.CreateHandler(new BaseUrlPolicy(allowPrivateNetworks: false), 512));
        using var lenient = new HttpClient(UpstreamHttp.CreateHandler(new BaseUrlPolicy(allowPrivateNetworks: true), 512));

        // The handler does not trust the check made when the URL was saved: the address the name resolves to now is checked.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => strict.PostAsync(url, Body()));
        var reached = await lenient.PostAsync(url, Body());

        Assert.Contains("Refused to connect to localhost", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, reached.StatusCode);
        Assert.Single(upstream.Requests);
    }
}
