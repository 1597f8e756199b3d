using Microsoft.Extensions.AI;

namespace Modelgate.Client;

/// <summary>
/// Clients for any purpose, including named agent types (<c>agents/researcher</c>). Each client resolves on
/// every call, so holding one for the application's lifetime is safe.
/// </summary>
public interface IModelgateClients
{
    /// <summary>The chat client for <c>chat</c>, <c>agents</c> or <c>agents/&lt;type&gt;</c>.</summary>
    IChatClient ChatClient(string purpose);

    /// <summary>The embedding generator for <c>embeddings</c>.</summary>
    IEmbeddingGenerator<string, Embedding<float>> EmbeddingGenerator(string purpose = "embeddings");
}
