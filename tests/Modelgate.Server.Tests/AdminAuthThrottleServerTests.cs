using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Secrets;
using Modelgate.Server.Auth;
using Modelgate.Server.Tests.Support;
using Modelgate.Storage;
using Modelgate.Testing;

namespace Modelgate.Server.Tests;

/// <summary>
/// Failed admin tokens on a running server: the admin API and the console's sign-in count in one per-address count,
/// shared by a fleet through Redis. Each test comes from an address of its own (X-Forwarded-For, with forwarded headers
/// enabled as behind a reverse proxy), as the Redis the tests share keeps its counts for a minute.
/// </summary>
public sealed class AdminAuthThrottleServerTests
{
    private const string Providers = "/api/v1/llm-providers";

    private static readonly Dictionary<string, string?> BehindAProxy = new() { ["ForwardedHeaders_Enabled"] = "true" };

    private static string NewAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static HttpClient ApiClient(ModelgateApp app, string address, string? token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static ConsoleClient ConsoleFrom(ModelgateApp app, string address)
    {
        var console = ConsoleClient.For(app);
        console.Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return console;
    }

    private static async Task<HttpStatusCode> GetAsync(ModelgateApp app, string address, string? token)
    {
        using var client = ApiClient(app, address, token);
        using var response = await client.GetAsync(Providers);
        return response.StatusCode;
    }

    private static async Task FailAsync(ModelgateApp app, string address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, address, $"mg-wrong-guess-{i:D4}"));
        }
    }

    private static async Task AssertBlockedAsync(ModelgateApp app, string address)
    {
        using var client = ApiClient(app, address, ModelgateApp.AdminToken);
        using var response = await client.GetAsync(Providers);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(70));
        var problem = await response.JsonAsync();
        Assert.Equal("Too many failed admin tokens", problem.Str("title"));
        Assert.Contains("from this address", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("Wait a minute", problem.Str("detail"), StringComparison.Ordinal);
    }

    private static string Redis =>
        Environment.GetEnvironmentVariable("MODELGATE_TEST_REDIS") is { Length: > 0 } redis
            ? redis
            : throw new InvalidOperationException("This test needs a Redis: run ./test.sh, which starts one, or set MODELGATE_TEST_REDIS to host:port.");

    [Fact]
    public async Task After_ten_wrong_tokens_the_admin_API_answers_even_the_right_token_429_with_Retry_After_and_never_401()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new ModelgateApp(db.Options, db.DataDirectory.Path, BehindAProxy);
        var address = NewAddress();
        await FailAsync(app, address, AdminAuthThrottle.FailuresPerMinute);

        await AssertBlockedAsync(app, address);
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(app, address, "mg-wrong-guess-after-the-limit"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, NewAddress(), ModelgateApp.AdminToken));

        var output = app.AllOutput();
        Assert.DoesNotContain("mg-wrong-guess", output, StringComparison.Ordinal);
        Assert.Equal(2, app.Logs.GetSnapshot().Count(r =>
            r.Level == LogLevel.Warning && r.Category == typeof(AdminAuthThrottle).FullName && r.Message.Contains(address, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Failed_console_sign_ins_and_wrong_API_tokens_share_one_count()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new ModelgateApp(db.Options, db.DataDirectory.Path, BehindAProxy);
        var address = NewAddress();
        using var console = ConsoleFrom(app, address);
        for (var i = 0; i < 6; i++)
        {
            using var wrong = await console.SignInAsync($"mg-wrong-sign-in-{i}");
            Assert.Contains("That is not the admin token", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await FailAsync(app, address, 4);

        await AssertBlockedAsync(app, address);
        using var blocked = await console.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);
        Assert.Contains("Too many failed sign-ins", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Right_tokens_never_count_and_requests_without_a_bearer_token_are_no_guesses()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new ModelgateApp(db.Options, db.DataDirectory.Path, BehindAProxy);
        var address = NewAddress();
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await GetAsync(app, address, ModelgateApp.AdminToken));
        }

        using var basic = ApiClient(app, address, token: null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "bWc6bWctd3JvbmctZ3Vlc3M=");
        for (var i = 0; i < 12; i++)
        {
            using var response = await basic.GetAsync(Providers);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, address, token: null));
        }

        await FailAsync(app, address, AdminAuthThrottle.FailuresPerMinute - 1);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, address, ModelgateApp.AdminToken));
    }

    [Fact]
    public async Task Two_instances_sharing_Redis_block_an_address_after_five_failures_on_each()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        // Under "reject" an unreachable Redis opens the throttle instead of counting each instance's share locally, so
        // only counts that really went through Redis can block here.
        var settings = new Dictionary<string, string?>(BehindAProxy)
        {
            ["MODELGATE_MASTER_KEY"] = MasterKey.Generate().ToBase64(),
            ["MODELGATE_REDIS"] = Redis,
            ["MODELGATE_LIMITS_WITHOUT_REDIS"] = "reject",
        };
        await using var first = new ModelgateApp(db.Options, db.DataDirectory.Path, settings);
        await using var second = new ModelgateApp(db.Options, db.DataDirectory.Path, settings);
        var address = NewAddress();

        await FailAsync(first, address, 5);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(first, address, ModelgateApp.AdminToken));
        await FailAsync(second, address, 5);

        await AssertBlockedAsync(first, address);
        await AssertBlockedAsync(second, address);
        Assert.Equal(HttpStatusCode.OK, await GetAsync(second, NewAddress(), ModelgateApp.AdminToken));
    }
}
