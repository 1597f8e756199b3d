using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>
/// Experiments through the gateway: sessions split and kept on their variant (named in x-modelgate-experiment and in
/// usage), a guardrail crossed by an injected error rate stops the experiment by itself, a promotion moves the target
/// and a config rollback undoes it, shadow copies are recorded and never returned, feedback reaches the results.
/// </summary>
public abstract class ExperimentsGatewayTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private const string ExperimentHeader = "x-modelgate-experiment";

    // A purpose of the test's own, defaulting to a fresh model: (purpose, control model_id, treatment model_id and id).
    private async Task<(string Purpose, string Control, string Treatment, string TreatmentId)> PurposeAsync(FakeUpstream? treatmentUpstream = null)
    {
        var (control, controlId) = await ModelAsync("openai");
        var purpose = "agents/" + Catalog.Unique("exp");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = controlId })).ExpectAsync(HttpStatusCode.OK);
        var provider = await Admin.CreateProviderAsync("openai", apiKey: "sk-upstream-0000000000000000EXP", baseUrl: (treatmentUpstream ?? Upstream).Url + "/v1");
        var treatment = Catalog.Unique("treat");
        var created = await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = treatment, type = "chat" })).ExpectAsync(HttpStatusCode.Created);
        return (purpose, control, treatment, created.Str("id"));
    }

    private async Task<JsonElement> ExperimentAsync(string purpose, object[] variants, object[]? guardrails = null, string stickiness = "session") =>
        await (await Admin.PostJsonAsync("/api/v1/experiments", new { name = Catalog.Unique("exp"), target = purpose, variants, guardrails = guardrails ?? [], stickiness }))
            .ExpectAsync(HttpStatusCode.Created);

    private static HttpRequestMessage Call(string purpose, string? session = null, bool stream = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent(Chat(purpose, stream)) };
        if (session is not null)
        {
            request.Headers.Add("x-modelgate-session", session);
        }

        return request;
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), new MediaTypeHeaderValue("application/json"));

    private static string? Arm(HttpResponseMessage response) => response.Headers.TryGetValues(ExperimentHeader, out var values) ? values.Single() : null;

    private async Task<JsonElement> WaitForAsync(string url, Func<JsonElement, bool> done, int seconds = 20)
    {
        JsonElement body = default;
        for (var i = 0; i < seconds * 10; i++)
        {
            body = await (await Admin.GetAsync(url)).ExpectAsync(HttpStatusCode.OK);
            if (done(body))
            {
                return body;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{url} never came to the expected state: {body}");
        return body;
    }

    [Fact]
    public async Task Sessions_AreSplitAndKeepTheirVariant_WhichTheHeaderTheAnswerAndTheUsageRecordName()
    {
        var (purpose, control, treatment, treatmentId) = await PurposeAsync();
        var experiment = await ExperimentAsync(purpose, [new { name = "control", weight = 50 }, new { name = "b", model_id = treatmentId, weight = 50 }]);
        var name = experiment.Str("name");
        var (secret, keyId) = await KeyAsync();
        using var caller = Caller(secret);

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var session = 0; session < 30; session++)
        {
            string? first = null;
            for (var call = 0; call < 3; call++)
            {
                using var response = await caller.SendAsync(Call(purpose, $"user-{session}"));
                var answer = await response.ExpectAsync(HttpStatusCode.OK);
                var arm = Arm(response)!;
                first ??= arm;
                Assert.Equal(first, arm);
                var model = arm == $"{name}/b" ? treatment : control;
                Assert.Equal(FakeUpstream.ReplyText(model), answer.GetProperty("choices")[0].GetProperty("message").Str("content"));
                seen[arm] = seen.GetValueOrDefault(arm) + 1;
            }
        }

        Assert.Equal(2, seen.Count);
        var usage = await UsageAsync(keyId, 90, "variant");
        var byVariant = usage.GetProperty("groups").EnumerateArray().ToDictionary(r => r.Str("variant"), r => r.GetProperty("requests").GetInt64());
        Assert.Equal(seen[$"{name}/control"], byVariant["control"]);
        Assert.Equal(seen[$"{name}/b"], byVariant["b"]);
    }

    [Fact]
    public async Task GuardrailCrossedByAnInjectedErrorRate_StopsTheExperiment_AndTheNextCallGoesToControl()
    {
        await using var failing = await FakeUpstream.StartAsync();
        failing.FailNext(500, """{"error":{"message":"injected","type":"server_error"}}""", times: 100_000);
        var (purpose, control, _, treatmentId) = await PurposeAsync(failing);
        var experiment = await ExperimentAsync(purpose, [new { name = "control", weight = 50 }, new { name = "b", model_id = treatmentId, weight = 50 }],
            [new { metric = "error_rate", max_increase = 0.02 }], stickiness: "request");
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);

        var calls = Enumerable.Range(0, 120).Select(async _ => { using var r = await caller.SendAsync(Call(purpose)); return (int)r.StatusCode; });
        var statuses = await Task.WhenAll(calls);
        Assert.Contains(200, statuses);
        Assert.Contains(statuses, s => s >= 500);

        var stopped = await WaitForAsync($"/api/v1/experiments/{experiment.Str("id")}", e => e.Str("phase") == "stopped", seconds: 30);
        Assert.StartsWith("guardrail error_rate crossed with 95 % confidence: error rate of 'b' 100 % vs control 0 %", stopped.Str("stop_reason"), StringComparison.Ordinal);
        var audit = await (await Admin.GetAsync($"/api/v1/audit?entity_type=experiment&entity_id={experiment.Str("id")}")).JsonAsync();
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), a => a.Str("action") == "experiment.stop" && a.Str("actor") == "guardrail");

        // The instance serving the next call has the stopped experiment: every call goes to the control, outside any experiment.
        for (var i = 0; i < 10; i++)
        {
            using var response = await caller.SendAsync(Call(purpose));
            Assert.Equal(FakeUpstream.ReplyText(control), (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("choices")[0].GetProperty("message").Str("content"));
            Assert.Null(Arm(response));
        }
    }

    [Fact]
    public async Task Promotion_MovesTheTargetToTheVariant_AndAConfigRollbackBringsBackTheTargetAndTheExperiment()
    {
        var (purpose, control, treatment, treatmentId) = await PurposeAsync();
        var experiment = await ExperimentAsync(purpose, [new { name = "control", weight = 1 }, new { name = "b", model_id = treatmentId, weight = 0 }]);
        var before = (await (await Admin.GetAsync("/api/v1/config/versions?limit=1")).JsonAsync()).GetProperty("data")[0].GetProperty("version").GetInt64();
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);

        await (await Admin.PostJsonAsync($"/api/v1/experiments/{experiment.Str("id")}/promote", new { variant = "b" })).ExpectAsync(HttpStatusCode.OK);
        using (var promoted = await caller.SendAsync(Call(purpose, "s1")))
        {
            Assert.Equal(FakeUpstream.ReplyText(treatment), (await promoted.ExpectAsync(HttpStatusCode.OK)).GetProperty("choices")[0].GetProperty("message").Str("content"));
            Assert.Null(Arm(promoted));
        }

        await (await Admin.PostJsonAsync($"/api/v1/config/versions/{before}/rollback", new { })).ExpectAsync(HttpStatusCode.OK);
        using var rolledBack = await caller.SendAsync(Call(purpose, "s1"));
        Assert.Equal(FakeUpstream.ReplyText(control), (await rolledBack.ExpectAsync(HttpStatusCode.OK)).GetProperty("choices")[0].GetProperty("message").Str("content"));
        Assert.Equal($"{experiment.Str("name")}/control", Arm(rolledBack));
        Assert.Equal("running", (await (await Admin.GetAsync($"/api/v1/experiments/{experiment.Str("id")}")).JsonAsync()).Str("phase"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ShadowAnswers_AreNeverReturned_ButRecordedUnderTheShadowVariant(bool stream)
    {
        await using var shadowUpstream = await FakeUpstream.StartAsync();
        shadowUpstream.Reply = "THE SHADOW'S ANSWER";
        var (purpose, control, _, shadowId) = await PurposeAsync(shadowUpstream);
        var experiment = await ExperimentAsync(purpose, [new { name = "control", weight = 1 }, new { name = "copy", model_id = shadowId, weight = 100, shadow = true }]);
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);

        for (var i = 0; i < 5; i++)
        {
            using var response = await caller.SendAsync(Call(purpose, $"s{i}", stream));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("SHADOW", text, StringComparison.Ordinal);
            Assert.Contains(stream ? "Hello" : FakeUpstream.ReplyText(control), text, StringComparison.Ordinal);
            Assert.Equal($"{experiment.Str("name")}/control", Arm(response));
        }

        var results = await WaitForAsync($"/api/v1/experiments/{experiment.Str("id")}/results",
            r => r.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("calls").GetInt64()) >= 10);
        var variants = results.GetProperty("variants").EnumerateArray().ToDictionary(v => v.Str("name"));
        Assert.Equal((5, 5), (variants["control"].GetProperty("calls").GetInt64(), variants["copy"].GetProperty("calls").GetInt64()));
        Assert.True(variants["copy"].GetProperty("shadow").GetBoolean());
        Assert.Equal(5, shadowUpstream.Requests.Count);
        Assert.All(shadowUpstream.Requests, r => Assert.Equal("hello there", r.Body.GetProperty("messages")[0].GetProperty("content").GetString()));
    }

    [Fact]
    public async Task Feedback_OnACallsRequestId_ReachesItsVariantsResults()
    {
        var (purpose, _, _, treatmentId) = await PurposeAsync();
        var experiment = await ExperimentAsync(purpose, [new { name = "control", weight = 0 }, new { name = "b", model_id = treatmentId, weight = 1 }]);
        var (secret, _) = await KeyAsync();
        using var caller = Caller(secret);
        using var response = await caller.SendAsync(Call(purpose, "fb-session"));
        await response.ExpectAsync(HttpStatusCode.OK);
        var requestId = response.Headers.GetValues("x-modelgate-request-id").Single();

        await (await caller.PostJsonAsync("/api/v1/feedback", new { request_id = requestId, metric = "thumbs_up", value = true })).ExpectAsync(HttpStatusCode.Created);
        await (await caller.PostJsonAsync("/api/v1/feedback", new { session_id = "fb-session", metric = "stars", value = 4 })).ExpectAsync(HttpStatusCode.Created);

        var results = await WaitForAsync($"/api/v1/experiments/{experiment.Str("id")}/results",
            r => r.GetProperty("variants")[1].GetProperty("feedback").EnumerateObject().Count() == 2);
        var feedback = results.GetProperty("variants")[1].GetProperty("feedback");
        Assert.Equal((1, 1.0), (feedback.GetProperty("thumbs_up").GetProperty("count").GetInt64(), feedback.GetProperty("thumbs_up").GetProperty("mean").GetDouble()));
        Assert.Equal(4.0, feedback.GetProperty("stars").GetProperty("mean").GetDouble());
        Assert.Contains(results.GetProperty("comparisons").EnumerateArray(), c => c.Str("metric") == "feedback:stars");
    }

    [Fact]
    public async Task KeyNotAllowedItsVariantsModel_IsServedOutsideTheExperiment_NotRefused()
    {
        var (purpose, control, _, treatmentId) = await PurposeAsync();
        await ExperimentAsync(purpose, [new { name = "control", weight = 0 }, new { name = "b", model_id = treatmentId, weight = 1 }]);
        var (secret, _) = await KeyAsync(new { allowed_models = new[] { control } });
        using var caller = Caller(secret);

        using var response = await caller.SendAsync(Call(purpose, "s1"));

        Assert.Equal(FakeUpstream.ReplyText(control), (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("choices")[0].GetProperty("message").Str("content"));
        Assert.Null(Arm(response));
    }

    [Fact]
    public async Task Results_OfAnUnknownExperiment_Are404()
    {
        var problem = await (await Admin.GetAsync("/api/v1/experiments/no-such-experiment/results")).ExpectAsync(HttpStatusCode.NotFound);

        Assert.Contains("no experiment 'no-such-experiment'", problem.Str("detail"), StringComparison.Ordinal);
    }
}

public sealed class ExperimentsGatewayTests_Sqlite(SqliteExperimentServer server) : ExperimentsGatewayTests<SqliteExperimentServer>(server);

public sealed class ExperimentsGatewayTests_Postgres(PostgresExperimentServer server) : ExperimentsGatewayTests<PostgresExperimentServer>(server);
