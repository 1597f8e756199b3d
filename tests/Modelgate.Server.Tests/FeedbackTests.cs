using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Experiments;
using Modelgate.Core.Usage;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

/// <summary>
/// <c>POST /api/v1/feedback</c>: applications send it with their gateway key about their own calls (named by request id
/// or session), the administrator with the admin token; it is stored with the call's experiment and variant.
/// </summary>
public abstract class FeedbackTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private async Task<string> GatewayCallAsync(string key, string model)
    {
        var response = await Caller(key).PostJsonAsync("/v1/chat/completions", Chat(model));
        await response.ExpectAsync(HttpStatusCode.OK);
        return response.Headers.GetValues("x-modelgate-request-id").Single();
    }

    // What a call through an experiment leaves behind (the gateway's experiment step is wired elsewhere): a usage record.
    private UsageRecord Record(string keyId, Guid experiment, string variant, string session, DateTimeOffset at)
    {
        var record = new UsageRecord
        {
            RequestId = RequestIds.Next(at), At = at, KeyId = Guid.Parse(keyId), Purpose = "chat", ExperimentId = experiment, Variant = variant, SessionHash = session is null ? null : SessionHash.Of(session),
            ProviderName = "p", ModelName = "m", Tokens = new TokenCounts(10, 1), Cost = 0.001m, LatencyMs = 100,
        };
        Server.App.Services.GetRequiredService<IUsageRecorder>().Record(record);
        return record;
    }

    private async Task<double> StoredValueAsync(string metric) =>
        Convert.ToDouble(await Server.Database.ScalarAsync($"SELECT value FROM feedback WHERE metric = '{metric}'"), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ByRequestId_WithTheCallersKey_IsStored_ABooleanAsOne_AndSendingAgainReplacesIt()
    {
        var (model, _) = await ModelAsync("openai");
        var (key, _) = await KeyAsync();
        var requestId = await GatewayCallAsync(key, model);
        var metric = Catalog.Unique("thumbs_up");

        var created = await (await Caller(key).PostJsonAsync("/api/v1/feedback", new { request_id = requestId, metric, value = true })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal((requestId, metric, 1.0, false), (created.Str("request_id"), created.Str("metric"), created.GetProperty("value").GetDouble(), created.GetProperty("replaced").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("experiment_id").ValueKind);
        Assert.Equal(1.0, await StoredValueAsync(metric));
        var replaced = await (await Caller(key).PostJsonAsync("/api/v1/feedback", new { request_id = requestId, metric, value = false })).ExpectAsync(HttpStatusCode.OK);
        Assert.True(replaced.GetProperty("replaced").GetBoolean());
        Assert.Equal(0.0, await StoredValueAsync(metric));
        Assert.Equal(1L, Convert.ToInt64(await Server.Database.ScalarAsync($"SELECT COUNT(*) FROM feedback WHERE metric = '{metric}'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task BySessionId_GoesToTheSessionsLatestCall_WithItsExperimentAndVariant()
    {
        var (key, keyId) = await KeyAsync();
        var experiment = Guid.NewGuid();
        var session = Catalog.Unique("conversation");
        var now = DateTimeOffset.UtcNow;
        Record(keyId, experiment, "control", session, now.AddSeconds(-2));
        var latest = Record(keyId, experiment, "b", session, now.AddSeconds(-1));
        await UsageAsync(keyId, 2);

        var stored = await (await Caller(key).PostJsonAsync("/api/v1/feedback", new { session_id = session, metric = "rating", value = 4.5 })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal((latest.RequestId.ToString(), experiment.ToString(), "b", 4.5),
            (stored.Str("request_id"), stored.Str("experiment_id"), stored.Str("variant"), stored.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task ByRequestId_WithTheAdminToken_FindsACallRecordedAMomentAgo()
    {
        var (_, keyId) = await KeyAsync();
        var experiment = Guid.NewGuid();
        var call = Record(keyId, experiment, "b", "s", DateTimeOffset.UtcNow);

        // Sent at once: the record may still be queued for the writer, and is waited for.
        var stored = await (await Admin.PostJsonAsync("/api/v1/feedback", new { request_id = call.RequestId, metric = "accepted", value = 1 })).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal((experiment.ToString(), "b"), (stored.Str("experiment_id"), stored.Str("variant")));
    }

    [Fact]
    public async Task UnknownRequestId_Is404SayingWhatFeedbackNames()
    {
        var response = await Admin.PostJsonAsync("/api/v1/feedback", new { request_id = Guid.NewGuid(), metric = "thumbs", value = 1 });

        var problem = await response.ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no call with request id", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("x-modelgate-request-id of a call made in the last 30 days", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherKeysCall_Is404LikeAnUnknownOne()
    {
        var (model, _) = await ModelAsync("openai");
        var (owner, _) = await KeyAsync();
        var (other, _) = await KeyAsync();
        var requestId = await GatewayCallAsync(owner, model);

        var unknownId = Guid.NewGuid().ToString();

        var refused = await (await Caller(other).PostJsonAsync("/api/v1/feedback", new { request_id = requestId, metric = "thumbs", value = 1 })).ExpectAsync(HttpStatusCode.NotFound);
        var unknown = await (await Caller(other).PostJsonAsync("/api/v1/feedback", new { request_id = unknownId, metric = "thumbs", value = 1 })).ExpectAsync(HttpStatusCode.NotFound);

        Assert.Equal(unknown.Str("detail").Replace(unknownId, "<id>", StringComparison.Ordinal), refused.Str("detail").Replace(requestId, "<id>", StringComparison.Ordinal));
        await (await Caller(owner).PostJsonAsync("/api/v1/feedback", new { request_id = requestId, metric = "thumbs", value = 1 })).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task WithoutCredentials_Is401_AndARevokedKeyToo()
    {
        using var anonymous = Server.App.CreateClient();
        await (await anonymous.PostJsonAsync("/api/v1/feedback", new { request_id = Guid.NewGuid(), metric = "thumbs", value = 1 })).ExpectAsync(HttpStatusCode.Unauthorized);
        var (key, keyId) = await KeyAsync();
        await (await Admin.PostAsync($"/api/v1/keys/{keyId}/revoke", null)).ExpectAsync(HttpStatusCode.OK);

        var revoked = await (await Caller(key).PostJsonAsync("/api/v1/feedback", new { request_id = Guid.NewGuid(), metric = "thumbs", value = 1 })).ExpectAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("revoked", revoked.Str("detail"), StringComparison.Ordinal);
        using var wrong = Server.App.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mg-not-a-key");
        await (await wrong.PostJsonAsync("/api/v1/feedback", new { request_id = Guid.NewGuid(), metric = "thumbs", value = 1 })).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { """{"request_id": "0193a1b2-0000-7000-8000-000000000001", "session_id": "s", "metric": "thumbs", "value": 1}""", "request_id" },
        { """{"metric": "thumbs", "value": 1}""", "request_id" },
        { """{"request_id": "not-a-uuid", "metric": "thumbs", "value": 1}""", "request_id" },
        { """{"session_id": "s", "metric": "has space", "value": 1}""", "metric" },
        { """{"session_id": "s", "value": 1}""", "metric" },
        { """{"session_id": "s", "metric": "thumbs", "value": "yes"}""", "value" },
        { """{"session_id": "s", "metric": "thumbs"}""", "value" },
        { """{"session_id": " ", "metric": "thumbs", "value": 1}""", "session_id" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadFeedback_Is400NamingTheField(string body, string field)
    {
        var refused = await (await Admin.SendRawAsync(HttpMethod.Post, "/api/v1/feedback", body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {refused}");
    }
}

public sealed class FeedbackTests_Sqlite(SqliteServer server) : FeedbackTests<SqliteServer>(server);

public sealed class FeedbackTests_Postgres(PostgresServer server) : FeedbackTests<PostgresServer>(server);
