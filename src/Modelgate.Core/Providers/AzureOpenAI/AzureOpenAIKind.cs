using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.AzureOpenAI;

/// <summary>
/// Azure OpenAI through its v1 API (<c>https://&lt;resource&gt;.openai.azure.com/openai/v1/</c>), which the official
/// OpenAI SDK speaks directly; the model id is the deployment name and the key goes in the <c>api-key</c> header. Its
/// prices are OpenAI's list. Older API versions may refuse <c>stream_options</c>, so streams are not asked for usage.
/// </summary>
internal static class AzureOpenAIKind
{
    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "azure-openai",
        Label = "Azure OpenAI",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(),
        TelemetryName = "azure.ai.openai",
        RequiresApiKey = true,
        KeyHeader = "api-key",
        MaxTokensField = "max_completion_tokens",
        ServesResponses = true,
        Prices = OpenAIPrices.List,
        Form = new(
            "https://<resource>.openai.azure.com/openai/v1/",
            "Required: your resource's v1 endpoint, https://<resource>.openai.azure.com/openai/v1/.",
            "The resource's key (sent as api-key)."),
    };
}
