using System.ClientModel;
using System.Net;
using Modelgate.Server.Tests.Support;
using Modelgate.Testing.Upstreams;
using OpenAI;

namespace Modelgate.Server.Tests;

/// <summary>
/// Ollama embeddings through OpenAI's <c>/v1/embeddings</c> (translated to Ollama's <c>/api/embed</c>), asked for by the
/// <c>embeddings</c> purpose or by name, with the official OpenAI SDK; what goes wrong is said, not a bare status.
/// </summary>
public abstract class GatewayOllamaEmbeddingsTests<TServer>(TServer server) : UsageTestBase<TServer>(server)
    where TServer : ServerFixture
{
    private OpenAIClient Sdk(string key) => GatewaySdks.OpenAI(Server.App, key);

    private async Task<string> OllamaModelAsync(string type)
    {
        var provider = await Admin.CreateProviderAsync("ollama", baseUrl: Upstream.Url);
        var modelId = Catalog.Unique("nomic-embed-text");
        await (await Admin.PostJsonAsync("/api/v1/llm-models", new { provider_id = provider.Str("id"), model_id = modelId, type })).ExpectAsync(HttpStatusCode.Created);
        return modelId;
    }

    [Fact]
    public async Task EmbeddingsPurpose_OnAnOllamaModel_IsServedThroughOllamasEmbedApi()
    {
        var modelId = await OllamaModelAsync("embedding");
        await (await Admin.PutJsonAsync("/api/v1/llm-defaults/embeddings", new { model_id = modelId })).ExpectAsync(HttpStatusCode.OK);
        var (key, _) = await KeyAsync();

        var embeddings = (await Sdk(key).GetEmbeddingClient("embeddings").GenerateEmbeddingsAsync(["hello world", "bye"])).Value;

        Assert.Equal(FakeUpstream.VectorFor("hello world", 8), embeddings[0].ToFloats().ToArray());
        Assert.Equal(FakeUpstream.VectorFor("bye", 8), embeddings[1].ToFloats().ToArray());
        Assert.Equal("/api/embed", Upstream.Last.Path);
        Assert.Equal(modelId, Upstream.Last.Model);
    }

    [Fact]
    public async Task OllamaModelTypedChat_AskedForEmbeddings_IsA400SayingItsType_AndNothingIsSent()
    {
        var modelId = await OllamaModelAsync("chat");
        var (key, _) = await KeyAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Sdk(key).GetEmbeddingClient(modelId).GenerateEmbeddingAsync("hello"));

        Assert.Equal(400, error.Status);
        Assert.Contains($"'{modelId}' is a chat model (its type in Modelgate's catalog); POST /v1/embeddings needs an embedding model", error.Message, StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Fact]
    public async Task OllamasOwnRefusal_ToEmbed_IsQuoted()
    {
        var modelId = await OllamaModelAsync("embedding");
        var (key, _) = await KeyAsync();
        // What Ollama answers for a model that cannot embed; a 5xx is retried twice.
        Upstream.FailNext(501, """{"error":"this model does not support embeddings"}""", times: 3);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Sdk(key).GetEmbeddingClient(modelId).GenerateEmbeddingAsync("hello"));

        Assert.Equal(502, error.Status);
        Assert.Contains("failed with HTTP 501: this model does not support embeddings", error.Message, StringComparison.Ordinal);
    }
}

public sealed class GatewayOllamaEmbeddingsTests_Sqlite(SqliteServer server) : GatewayOllamaEmbeddingsTests<SqliteServer>(server);

public sealed class GatewayOllamaEmbeddingsTests_Postgres(PostgresServer server) : GatewayOllamaEmbeddingsTests<PostgresServer>(server);
