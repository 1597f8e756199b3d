using Modelgate.Core.Catalog;
using Modelgate.Core.Providers.OpenAI;

namespace Modelgate.Core.Providers.Bedrock;

/// <summary>
/// Amazon Bedrock's OpenAI Chat Completions endpoint, <c>https://bedrock-runtime.&lt;region&gt;.amazonaws.com/openai/v1</c>:
/// per region, so there is no default address. The key is an Amazon Bedrock API key, sent as a Bearer token (AWS
/// signatures are not supported). Bedrock serves chat completions only there, and does not document stream usage.
/// </summary>
internal static class BedrockKind
{
    public static ProviderKind Descriptor { get; } = new()
    {
        Name = "bedrock",
        Label = "Amazon Bedrock (OpenAI-compatible)",
        Protocol = ProviderProtocol.OpenAI,
        Adapter = new OpenAIProtocolAdapter(),
        TelemetryName = "aws.bedrock",
        RequiresApiKey = true,
        Form = new(
            "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1",
            "Required: the Bedrock runtime endpoint of your region, ending in /openai/v1.",
            "An Amazon Bedrock API key (the value of AWS_BEARER_TOKEN_BEDROCK)."),
    };
}
