using System.ClientModel;
using System.Net;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using Modelgate.Server.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Modelgate.Server.Tests;

/// <summary>
/// A model of the wrong kind for the endpoint — an embedding model or purpose sent to chat (either format), a chat model
/// or purpose sent to embeddings — is a 400 naming the model, its kind and what the endpoint needs, before anything is sent.
/// </summary>
public abstract class GatewayModelKindTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private OpenAIClient OpenAISdk(string key) => GatewaySdks.OpenAI(Server.App, key);

    private IChatClient AnthropicSdk(string key, string model) => GatewaySdks.Anthropic(Server.App, key).AsIChatClient(model);

    private async Task<string> EmbeddingsPurposeAsync()
    {
        var (embedding, _) = await ModelAsync("openai", type: "embedding");
        await (await Admin.PutJsonAsync("/api/v1/llm-defaults/embeddings", new { model_id = embedding })).ExpectAsync(HttpStatusCode.OK);
        return embedding;
    }

    [Fact]
    public async Task EmbeddingsPurpose_SentToChatCompletions_IsA400AboutTheModelsKind_AndNothingIsSent()
    {
        var embedding = await EmbeddingsPurposeAsync();
        var (key, _) = await KeyAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk(key).GetChatClient("embeddings").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, error.Status);
        Assert.Contains(
            $"'embeddings' resolves to model '{embedding}', which is an embedding model (its type in Modelgate's catalog); POST /v1/chat/completions needs a chat model",
            error.Message, StringComparison.Ordinal);
        var refused = await Caller(key).PostJsonAsync("/v1/chat/completions", Chat("embeddings"));
        var body = (await refused.ExpectAsync(HttpStatusCode.BadRequest)).GetProperty("error");
        Assert.Equal("model", body.Str("param"));
        Assert.Equal("model_kind_mismatch", body.Str("code"));
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task EmbeddingModel_SentToMessages_IsA400InAnthropicsFormat_AndNothingIsSent()
    {
        var (embedding, _) = await ModelAsync("openai", type: "embedding");
        var (key, _) = await KeyAsync();

        var error = await Assert.ThrowsAsync<AnthropicBadRequestException>(
            () => AnthropicSdk(key, embedding).GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, "hi")]));

        Assert.Contains($"model: '{embedding}' is an embedding model", error.ApiMessage, StringComparison.Ordinal);
        Assert.Contains("POST /v1/messages needs a chat model", error.ApiMessage, StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task ChatPurposeOrModel_SentToEmbeddings_IsA400AboutTheModelsKind_AndNothingIsSent()
    {
        var (chat, _) = await ModelAsync("openai");
        var purpose = "agents/" + Catalog.Unique("kind");
        await (await Admin.PutJsonAsync($"/api/v1/llm-defaults/{purpose}", new { model_id = chat })).ExpectAsync(HttpStatusCode.OK);
        var (key, _) = await KeyAsync();

        var byPurpose = await Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk(key).GetEmbeddingClient(purpose).GenerateEmbeddingAsync("hello"));
        var byName = await Assert.ThrowsAsync<ClientResultException>(() => OpenAISdk(key).GetEmbeddingClient(chat).GenerateEmbeddingAsync("hello"));

        Assert.Equal(400, byPurpose.Status);
        Assert.Contains($"'{purpose}' resolves to model '{chat}', which is a chat model", byPurpose.Message, StringComparison.Ordinal);
        Assert.Equal(400, byName.Status);
        Assert.Contains($"'{chat}' is a chat model (its type in Modelgate's catalog); POST /v1/embeddings needs an embedding model", byName.Message, StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task RightKind_StillServes_OnBothEndpoints()
    {
        var embedding = await EmbeddingsPurposeAsync();
        var (chat, _) = await ModelAsync("openai");
        var (key, _) = await KeyAsync();

        var vector = (await OpenAISdk(key).GetEmbeddingClient("embeddings").GenerateEmbeddingAsync("hello")).Value;
        var completion = (await OpenAISdk(key).GetChatClient(chat).CompleteChatAsync([new UserChatMessage("hi")])).Value;

        Assert.NotEmpty(vector.ToFloats().ToArray());
        Assert.NotEmpty(completion.Content);
        Assert.Equal([embedding, chat], Upstream.Requests.Select(r => r.Model));
    }
}

public sealed class GatewayModelKindTests_Sqlite(SqliteServer server) : GatewayModelKindTests<SqliteServer>(server);

public sealed class GatewayModelKindTests_Postgres(PostgresServer server) : GatewayModelKindTests<PostgresServer>(server);
