namespace Modelgate.Core.Catalog;

/// <summary>The wire format a provider speaks.</summary>
public enum ProviderProtocol
{
    /// <summary>OpenAI's chat completions and embeddings: the gateway passes OpenAI-format requests through.</summary>
    OpenAI,

    /// <summary>Anthropic's Messages API: the gateway passes Anthropic-format requests through.</summary>
    Anthropic,

    /// <summary>Ollama's own API: every gateway request is translated through its SDK.</summary>
    Ollama,
}
