using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;

namespace Modelgate.Server.Tests;

/// <summary>
/// Responses API calls continue earlier ones the gateway kept — <c>previous_response_id</c>, and the
/// <c>item_reference</c> items the Vercel AI SDK sends by default — whichever provider serves the next call: the kept
/// items replace the references before the provider sees the request. Kept per key, encrypted, and never when the
/// caller says <c>store: false</c>.
/// </summary>
public abstract class GatewayResponsesContinuationTests<TServer>(TServer server) : IClassFixture<TServer>, IAsyncLifetime
    where TServer : ServerFixture
{
    private FakeUpstream _upstream = null!;
    private HttpClient Admin => server.Admin;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private async Task<(string Purpose, HttpClient Caller, HttpClient OtherCaller)> ConfigureAsync()
    {
        var provider = await Admin.CreateProviderAsync("openai-compatible", apiKey: "sk-continuation-0000000000000000", baseUrl: _upstream.Url + "/v1");
        var modelId = Catalog.Unique("model");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId })).ExpectAsync(HttpStatusCode.Created);
        var purpose = "agents/" + Catalog.Unique("cont");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        return (purpose, await CallerAsync(), await CallerAsync());
    }

    private async Task<HttpClient> CallerAsync()
    {
        var key = (await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("caller") })).ExpectAsync(HttpStatusCode.Created)).Str("key");
        var http = server.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return http;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient caller, object body)
    {
        var response = await caller.PostAsync("/v1/responses", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    // What the provider was last sent, as one string of its messages.
    private string LastSentMessages() => _upstream.Last.Body.GetProperty("messages").ToString();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PreviousResponseId_ContinuesTheKeptConversation_WithItsInputAndOutput(bool streamFirst)
    {
        var (purpose, caller, _) = await ConfigureAsync();
        _upstream.Reply = "Nice to meet you Ada";
        string firstId;
        if (streamFirst)
        {
            var stream = await (await caller.PostAsync("/v1/responses", new StringContent(
                JsonSerializer.Serialize(new { model = purpose, input = "My name is Ada.", stream = true }), Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync();
            var completed = stream.Split("\n\n").Single(e => e.StartsWith("event: response.completed", StringComparison.Ordinal));
            firstId = JsonNode.Parse(completed[(completed.IndexOf("data: ", StringComparison.Ordinal) + 6)..])!["response"]!["id"]!.GetValue<string>();
        }
        else
        {
            var (status, first) = await PostAsync(caller, new { model = purpose, input = "My name is Ada." });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(first["store"]!.GetValue<bool>());
            firstId = first["id"]!.GetValue<string>();
        }

        _upstream.Reply = "Your name is Ada";
        var (secondStatus, second) = await PostAsync(caller, new { model = purpose, input = "What is my name?", previous_response_id = firstId });

        Assert.Equal(HttpStatusCode.OK, secondStatus);
        Assert.Contains("Your name is Ada", second.ToJsonString(), StringComparison.Ordinal);
        var sent = LastSentMessages();
        Assert.Contains("My name is Ada.", sent, StringComparison.Ordinal);
        Assert.Contains("Nice to meet you Ada", sent, StringComparison.Ordinal);
        Assert.Contains("What is my name?", sent, StringComparison.Ordinal);
        Assert.True(sent.IndexOf("My name is Ada.", StringComparison.Ordinal) < sent.IndexOf("Nice to meet you Ada", StringComparison.Ordinal));
        Assert.True(sent.IndexOf("Nice to meet you Ada", StringComparison.Ordinal) < sent.IndexOf("What is my name?", StringComparison.Ordinal));
        Assert.False(_upstream.Last.Body.TryGetProperty("previous_response_id", out _));

        // The chain goes on: the second call was kept with the first's items too.
        var (thirdStatus, _) = await PostAsync(caller, new { model = purpose, input = "And again?", previous_response_id = second["id"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.OK, thirdStatus);
        var third = LastSentMessages();
        Assert.Contains("My name is Ada.", third, StringComparison.Ordinal);
        Assert.Contains("Your name is Ada", third, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChainOfCalls_IsKeptOncePerCall_NotOnceMoreForEveryTurn()
    {
        var (purpose, caller, _) = await ConfigureAsync();
        var ids = new List<string>();
        string? previous = null;
        for (var turn = 0; turn < 4; turn++)
        {
            var (status, answer) = previous is null
                ? await PostAsync(caller, new { model = purpose, input = $"turn {turn}" })
                : await PostAsync(caller, new { model = purpose, input = $"turn {turn}", previous_response_id = previous });
            Assert.Equal(HttpStatusCode.OK, status);
            previous = answer["id"]!.GetValue<string>();
            ids.Add(previous);
        }

        // Each call keeps its own input item and its output message: 2 rows a call, not the history again.
        var rows = await server.Database.ScalarAsync($"SELECT COUNT(*) FROM response_items WHERE response_id IN ({string.Join(", ", ids.Select(i => $"'{i}'"))})");
        Assert.Equal(8L, Convert.ToInt64(rows, System.Globalization.CultureInfo.InvariantCulture));
        var sent = LastSentMessages();
        Assert.All(Enumerable.Range(0, 4), turn => Assert.Contains($"turn {turn}", sent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APreviousResponseIdThatCannotBeAnId_IsA400()
    {
        var (purpose, caller, _) = await ConfigureAsync();

        var (status, refused) = await PostAsync(caller, new { model = purpose, input = "hi", previous_response_id = new string('r', 500) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("previous_response_id", refused["error"]!["param"]!.GetValue<string>());
        Assert.DoesNotContain(new string('r', 200), refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItemReference_ToAnEarlierOutputMessage_IsReplacedByTheMessage()
    {
        var (purpose, caller, _) = await ConfigureAsync();
        _upstream.Reply = "Paris is the capital";
        var (_, first) = await PostAsync(caller, new { model = purpose, input = "Capital of France?" });
        var messageId = first["output"]![0]!["id"]!.GetValue<string>();

        var (status, _) = await PostAsync(caller, new
        {
            model = purpose,
            input = new object[]
            {
                new { role = "user", content = new[] { new { type = "input_text", text = "Capital of France?" } } },
                new { type = "item_reference", id = messageId },
                new { role = "user", content = new[] { new { type = "input_text", text = "And of Italy?" } } },
            },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = JsonNode.Parse(_upstream.Last.Body.GetProperty("messages").GetRawText())!.AsArray();
        Assert.Equal(["user", "assistant", "user"], sent.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Contains("Paris is the capital", sent[1]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherKey_CannotContinueTheCall_AndNothingIsSent()
    {
        var (purpose, caller, other) = await ConfigureAsync();
        var (_, first) = await PostAsync(caller, new { model = purpose, input = "a secret of mine" });
        var sentBefore = _upstream.Requests.Count;

        var (status, refused) = await PostAsync(other, new { model = purpose, input = "what did I say?", previous_response_id = first["id"]!.GetValue<string>() });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("previous_response_not_found", refused["error"]!["code"]!.GetValue<string>());
        Assert.Equal("previous_response_id", refused["error"]!["param"]!.GetValue<string>());
        Assert.Contains("whole conversation", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(sentBefore, _upstream.Requests.Count);
    }

    [Fact]
    public async Task StoreFalse_KeepsNothing_SoTheCallCannotBeContinued()
    {
        var (purpose, caller, _) = await ConfigureAsync();
        var (_, first) = await PostAsync(caller, new { model = purpose, input = "hello", store = false });
        Assert.False(first["store"]!.GetValue<bool>());

        var (status, refused) = await PostAsync(caller, new { model = purpose, input = "again", previous_response_id = first["id"]!.GetValue<string>() });
        var (referenceStatus, referenceRefused) = await PostAsync(caller, new { model = purpose, input = new object[] { new { type = "item_reference", id = first["output"]![0]!["id"]!.GetValue<string>() } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("previous_response_not_found", refused["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, referenceStatus);
        Assert.Equal("item_not_found", referenceRefused["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task KeptItems_AreEncryptedAtRest()
    {
        var (purpose, caller, _) = await ConfigureAsync();
        const string Secret = "the launch code is 0000-LAUNCH-CODE";
        var (status, _) = await PostAsync(caller, new { model = purpose, input = Secret });
        Assert.Equal(HttpStatusCode.OK, status);

        var joined = server.Kind == Storage.DatabaseKind.Sqlite ? "group_concat(body, ' ')" : "string_agg(body, ' ')";
        var bodies = Convert.ToString(await server.Database.ScalarAsync($"SELECT {joined} FROM response_items"), System.Globalization.CultureInfo.InvariantCulture)!;

        Assert.StartsWith("mg1.", bodies, StringComparison.Ordinal);
        Assert.DoesNotContain("LAUNCH-CODE", bodies, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversation_IsA400ThatSaysWhatToUseInstead()
    {
        var (purpose, caller, _) = await ConfigureAsync();

        var (status, refused) = await PostAsync(caller, new { model = purpose, input = "hi", conversation = "conv_123" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("conversation", refused["error"]!["param"]!.GetValue<string>());
        Assert.Contains("previous_response_id", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class GatewayResponsesContinuationTests_Sqlite(SqliteServer server) : GatewayResponsesContinuationTests<SqliteServer>(server);

public sealed class GatewayResponsesContinuationTests_Postgres(PostgresServer server) : GatewayResponsesContinuationTests<PostgresServer>(server);
