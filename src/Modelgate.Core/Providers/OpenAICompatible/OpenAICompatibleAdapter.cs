using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.OpenAICompatible;

/// <summary>
/// Any server speaking the OpenAI API (vLLM, LM Studio, llama.cpp, ...) at its base_url. The key is optional;
/// the SDK insists on a credential, which servers without authentication ignore.
/// </summary>
internal sealed class OpenAICompatibleAdapter() : OpenAIProtocolAdapter(ProviderKind.OpenAICompatible, keyPlaceholder: "no-key");
