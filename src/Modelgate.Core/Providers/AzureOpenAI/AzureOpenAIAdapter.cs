using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.AzureOpenAI;

/// <summary>
/// Azure OpenAI through its v1 API (<c>https://&lt;resource&gt;.openai.azure.com/openai/v1/</c>), which the official
/// OpenAI SDK speaks directly; the model id is the deployment name.
/// </summary>
internal sealed class AzureOpenAIAdapter() : OpenAIProtocolAdapter(ProviderKind.AzureOpenAI);
