using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;

namespace Modelgate.Core.Resolution;

/// <summary>
/// The environment as a last resort for a purpose the catalog cannot serve: <c>ANTHROPIC_API_KEY</c> /
/// <c>OPENAI_API_KEY</c> (with optional <c>ANTHROPIC_BASE_URL</c> / <c>OPENAI_BASE_URL</c>), and
/// <c>MODELGATE_&lt;PURPOSE&gt;_MODEL</c> naming the model (e.g. <c>MODELGATE_AGENTS_RESEARCHER_MODEL</c>),
/// optionally prefixed with a kind that has a key variable (<c>anthropic:</c>, <c>openai:</c>, <c>mistral:</c>, ...:
/// see <see cref="ProviderKind.KeyVariable"/>).
/// </summary>
public sealed class EnvironmentFallback(Func<string, string?> read)
{
    public const string DefaultAnthropicChatModel = "claude-sonnet-4-20250514";
    public const string DefaultOpenAIChatModel = "gpt-4o-mini";
    public const string DefaultOpenAIEmbeddingModel = "text-embedding-3-small";

    public static EnvironmentFallback None { get; } = new(_ => null);

    /// <summary>The variable that names the model for a purpose, e.g. <c>MODELGATE_AGENTS_RESEARCHER_MODEL</c>.</summary>
    public static string ModelVariable(Purpose purpose) =>
        "MODELGATE_" + purpose.Name.Replace('/', '_').Replace('-', '_').ToUpperInvariant() + "_MODEL";

    /// <summary>Builds the resolution the environment offers for the purpose, or null with what is missing.</summary>
    public ResolvedModel? TryResolve(Purpose purpose, long catalogVersion, string whyNotCatalog, out string missing)
    {
        var variable = ModelVariable(purpose);
        var named = Value(variable) ?? (purpose.Parent is { } parent ? Value(ModelVariable(parent)) : null);
        var (kind, modelName) = Choose(purpose, named);
        if (kind is null)
        {
            missing = purpose.RequiredModelKind == ModelKind.Embedding
                ? $"set OPENAI_API_KEY (embeddings need an OpenAI-compatible provider), optionally {variable}"
                : $"set ANTHROPIC_API_KEY or OPENAI_API_KEY, optionally {variable}";
            return null;
        }

        var keyVariable = kind.KeyVariable!;
        var key = Value(keyVariable);
        if (key is null)
        {
            missing = $"set {keyVariable} (the model '{modelName}' named by {variable} needs it)";
            return null;
        }

        missing = "";
        var baseUrl = kind.BaseUrlVariable is { } baseUrlVariable ? Value(baseUrlVariable) : null;
        var provider = new ProviderConfig(
            Guid.Empty, $"environment:{kind.Name}", kind, baseUrl, null, Secrets.SecretMask.Mask(key), true, false, RateLimits.None);
        var model = new ModelDefinition(Guid.Empty, Guid.Empty, modelName!, null, purpose.RequiredModelKind, true, ModelParameters.None, Pricing.Unknown, null, null);
        var modelSource = named is null ? "the documented default model" : $"model from {(Value(variable) is null ? ModelVariable(purpose.Parent!.Value) : variable)}";
        return new ResolvedModel
        {
            Purpose = purpose,
            Provider = provider,
            Model = model,
            ApiKey = key,
            Source = ResolutionSource.Environment,
            Reason = $"{whyNotCatalog}; using {keyVariable} with {modelSource} '{modelName}'",
            CatalogVersion = catalogVersion,
        };
    }

    // Kinds the environment can name: a key variable, and an address of their own or a variable to give one.
    private static readonly ProviderKind[] Named =
        [.. ProviderKinds.All.Where(k => k.KeyVariable is not null && (!k.RequiresBaseUrl || k.BaseUrlVariable is not null))];

    private (ProviderKind? Kind, string? Model) Choose(Purpose purpose, string? named)
    {
        if (named is not null)
        {
            foreach (var kind in Named)
            {
                // anthropic: and openai: always name a kind. "mistral:7b" is also how Ollama and LM Studio name a model
                // behind OPENAI_BASE_URL: with that set and the newer kind's key not, it is that model's name.
                if (named.StartsWith(kind.Name + ":", StringComparison.OrdinalIgnoreCase)
                    && (kind == ProviderKind.Anthropic || kind == ProviderKind.OpenAI || Value(kind.KeyVariable!) is not null || Value("OPENAI_BASE_URL") is null))
                {
                    return (kind, named[(kind.Name.Length + 1)..]);
                }
            }

            return (named.StartsWith("claude", StringComparison.OrdinalIgnoreCase) ? ProviderKind.Anthropic : ProviderKind.OpenAI, named);
        }

        if (purpose.RequiredModelKind == ModelKind.Embedding)
        {
            return Value("OPENAI_API_KEY") is null ? (null, null) : (ProviderKind.OpenAI, DefaultOpenAIEmbeddingModel);
        }

        if (Value("ANTHROPIC_API_KEY") is not null)
        {
            return (ProviderKind.Anthropic, DefaultAnthropicChatModel);
        }

        return Value("OPENAI_API_KEY") is null ? (null, null) : (ProviderKind.OpenAI, DefaultOpenAIChatModel);
    }

    private string? Value(string name) => read(name) is { Length: > 0 } value ? value.Trim() : null;
}
