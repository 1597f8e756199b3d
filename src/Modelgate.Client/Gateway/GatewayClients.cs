using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using OpenAI;

namespace Modelgate.Client.Gateway;

/// <summary>
/// Remote mode: clients per purpose that call the Modelgate gateway with the purpose as the model, so the server
/// resolves what is configured now on every call (the application holds no database access and no provider key).
/// </summary>
internal sealed class GatewayClients : IModelgateClients, IDisposable
{
    private readonly ConcurrentDictionary<string, IChatClient> _chat = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IEmbeddingGenerator<string, Embedding<float>>> _embeddings = new(StringComparer.Ordinal);
    private readonly OpenAIClient _client;
    private readonly HttpClient? _ownedHttp;

    public GatewayClients(IOptions<ModelgateGatewayOptions> options)
    {
        var settings = options.Value;
        if (settings.Url is null || string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new ModelgateConfigurationException("", "Modelgate's gateway mode needs the server's URL and a virtual key: set MODELGATE_URL and MODELGATE_API_KEY (or ModelgateGatewayOptions.Url and ApiKey).");
        }

        var http = settings.HttpClient ?? (_ownedHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan });
        _client = new OpenAIClient(new ApiKeyCredential(settings.ApiKey), new OpenAIClientOptions
        {
            // "v1" relative to the root URL: with a path (http://host/modelgate) it must end in '/' to be kept.
            Endpoint = new Uri(settings.Url.AbsoluteUri.EndsWith('/') ? settings.Url : new Uri(settings.Url.AbsoluteUri + "/"), "v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        });
    }

    public IChatClient ChatClient(string purpose) =>
        _chat.GetOrAdd(PurposeNames.Target(purpose, ModelKind.Chat), name => new GatewayErrorChatClient(_client.GetChatClient(name).AsIChatClient(), name));

    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(string purpose = Purpose.EmbeddingsName) =>
        _embeddings.GetOrAdd(PurposeNames.Target(purpose, ModelKind.Embedding), name => new GatewayErrorEmbeddingGenerator(_client.GetEmbeddingClient(name).AsIEmbeddingGenerator(), name));

    public void Dispose() => _ownedHttp?.Dispose();
}
