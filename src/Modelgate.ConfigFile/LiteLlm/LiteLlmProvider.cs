namespace Modelgate.ConfigFile.LiteLlm;

/// <summary>
/// A LiteLLM provider prefix (<c>openai/</c>, <c>ollama_chat/</c>, …) that has a Modelgate provider kind: the kind's
/// name, the address a provider of that kind calls without a base_url (null when it must have one, as Modelgate's
/// kinds say), and the environment variable LiteLLM reads the address from when <c>api_base</c> is not given.
/// </summary>
internal sealed record LiteLlmProvider(string Kind, string? DefaultBaseUrl, string? BaseUrlVariable = null)
{
    public const string OpenAI = "openai";
    public const string OpenAICompatible = "openai-compatible";
    public const string AzureOpenAI = "azure-openai";
    public const string Bedrock = "bedrock";

    /// <summary>LiteLLM's prefixes that Modelgate has a kind for (the other prefixes are reported as not converted).</summary>
    public static IReadOnlyDictionary<string, LiteLlmProvider> ByPrefix { get; } = new Dictionary<string, LiteLlmProvider>(StringComparer.Ordinal)
    {
        ["openai"] = new(OpenAI, "https://api.openai.com/v1"),
        ["azure"] = new(AzureOpenAI, null, "AZURE_API_BASE"),
        ["anthropic"] = new("anthropic", "https://api.anthropic.com"),
        ["ollama"] = new("ollama", "http://127.0.0.1:11434"),
        ["ollama_chat"] = new("ollama", "http://127.0.0.1:11434"),
        ["hosted_vllm"] = new("vllm", null, "HOSTED_VLLM_API_BASE"),
        ["groq"] = new("groq", "https://api.groq.com/openai/v1"),
        ["mistral"] = new("mistral", "https://api.mistral.ai/v1"),
        ["deepseek"] = new("deepseek", "https://api.deepseek.com/v1"),
        ["gemini"] = new("gemini", "https://generativelanguage.googleapis.com/v1beta/openai"),
        ["bedrock"] = new(Bedrock, null),
    };

    /// <summary>A server speaking OpenAI's API at its own address (LiteLLM's <c>openai/</c> with an <c>api_base</c>).</summary>
    public static LiteLlmProvider Compatible { get; } = new(OpenAICompatible, null);

    /// <summary>The prefixes that convert, for the note on one that does not.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = [.. ByPrefix.Keys];

    /// <summary>
    /// The prefix LiteLLM infers for a model written without one, for the families whose provider is plain from the
    /// name (LiteLLM looks it up in its model list); null when the name says nothing sure.
    /// </summary>
    public static string? Infer(string model)
    {
        if (model.StartsWith("gpt-", StringComparison.Ordinal) || model.StartsWith("chatgpt-", StringComparison.Ordinal)
            || model.StartsWith("text-embedding-", StringComparison.Ordinal)
            || (model.Length >= 2 && model[0] == 'o' && char.IsAsciiDigit(model[1])))
        {
            return "openai";
        }

        return model.StartsWith("claude-", StringComparison.Ordinal) ? "anthropic" : null;
    }

    /// <summary>Whether an address is this kind's own, with or without <c>/v1</c> (so the provider needs no base_url).</summary>
    public bool IsDefault(string baseUrl)
    {
        var url = baseUrl.TrimEnd('/');
        return DefaultBaseUrl is not null
            && (string.Equals(url, DefaultBaseUrl, StringComparison.OrdinalIgnoreCase) || string.Equals(url, DefaultBaseUrl + "/v1", StringComparison.OrdinalIgnoreCase));
    }
}
