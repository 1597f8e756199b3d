using Modelgate.Core.Catalog;

namespace Modelgate.Core.Providers.OpenAI;

/// <summary>OpenAI through the official OpenAI SDK and Microsoft.Extensions.AI.OpenAI; base_url overrides the endpoint.</summary>
internal sealed class OpenAIAdapter() : OpenAIProtocolAdapter(ProviderKind.OpenAI);
