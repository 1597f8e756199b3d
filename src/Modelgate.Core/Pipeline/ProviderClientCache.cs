using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// Reuses SDK clients between calls while their configuration is unchanged. The cache key is the provider's
/// whole configuration (address, key ciphertext, kind) plus the model, so any change in the catalog yields a
/// new client; nothing outlives the configuration it was made from. Bounded: cleared when it grows past a limit.
/// </summary>
public sealed class ProviderClientCache(ProviderAdapters adapters, HttpMessageHandler handler, bool ownsHandler = false) : IDisposable
{
    private const int MaxEntries = 256;
    private readonly ConcurrentDictionary<(ProviderConfig Provider, string ModelId, ModelParameters Parameters, string KeyHash), IChatClient> _chat = new();
    private readonly ConcurrentDictionary<(ProviderConfig Provider, string ModelId, int? Dimensions, string KeyHash), IEmbeddingGenerator<string, Embedding<float>>> _embeddings = new();

    /// <summary>Drops every client (and the keys they hold), e.g. when a new catalog version is in effect.</summary>
    public void Clear()
    {
        _chat.Clear();
        _embeddings.Clear();
    }

    public void Dispose()
    {
        Clear();
        if (ownsHandler)
        {
            handler.Dispose();
        }
    }

    // Environment keys have no ciphertext to tell them apart; a hash of the key does (and keeps it out of the key).
    private static string KeyHash(ResolvedModel resolved) =>
        resolved.Source != ResolutionSource.Environment || resolved.ApiKey is null ? "" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resolved.ApiKey)));

    public IChatClient ChatClient(ResolvedModel resolved)
    {
        if (_chat.Count > MaxEntries)
        {
            _chat.Clear();
        }

        return _chat.GetOrAdd((resolved.Provider, resolved.Model.ModelId, resolved.Parameters, KeyHash(resolved)), static (_, r) =>
            new ModelDefaultsChatClient(r.Adapters.For(r.Resolved.Provider.Kind).CreateChatClient(r.Resolved, r.Http), r.Resolved.Model.ModelId, r.Resolved.Parameters),
            (Resolved: resolved, Adapters: adapters, Http: handler));
    }

    public IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(ResolvedModel resolved)
    {
        if (_embeddings.Count > MaxEntries)
        {
            _embeddings.Clear();
        }

        return _embeddings.GetOrAdd((resolved.Provider, resolved.Model.ModelId, resolved.Model.EmbeddingDimensions, KeyHash(resolved)), static (_, r) =>
            r.Adapters.For(r.Resolved.Provider.Kind).CreateEmbeddingGenerator(r.Resolved, r.Http)
            ?? throw new ModelgateConfigurationException(r.Resolved.Purpose.Name,
                $"Provider '{r.Resolved.Provider.Name}' ({r.Resolved.Provider.Kind.ToName()}) has no embeddings API; make an embedding model of a provider that has one (an OpenAI-protocol kind or Ollama) the default for '{r.Resolved.Purpose}'."),
            (Resolved: resolved, Adapters: adapters, Http: handler));
    }
}
