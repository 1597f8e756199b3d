using System.Net.Http.Headers;
using Modelgate.Core.Providers;
using Modelgate.Core.Providers.Anthropic;
using Modelgate.Core.Providers.AzureOpenAI;
using Modelgate.Core.Providers.Ollama;
using Modelgate.Core.Providers.OpenAI;
using Modelgate.Core.Providers.OpenAICompatible;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Catalog;

/// <summary>
/// A kind of provider and everything Modelgate knows about it: its wire name and label, the protocol and SDK adapter
/// it speaks, its address and key rules, the quirks the gateway's passthrough honours, its environment variables,
/// built-in prices and console hints. One instance per kind, declared in its folder under <c>Core/Providers/</c> and
/// listed once in <see cref="ProviderKinds"/>; code asks the descriptor instead of switching on the kind.
/// </summary>
public sealed class ProviderKind
{
    // Kinds compare by reference: every one is declared once, in its folder (a second instance would not equal it).
    internal ProviderKind()
    {
    }

    /// <summary>The wire name: a provider's stored type and the API's <c>type</c> (e.g. <c>openai</c>, <c>mistral</c>).</summary>
    public required string Name { get; init; }

    /// <summary>How the console names the kind.</summary>
    public required string Label { get; init; }

    /// <summary>The wire format the provider speaks: decides whether the gateway passes a request through or translates it.</summary>
    public required ProviderProtocol Protocol { get; init; }

    /// <summary>Builds the kind's Microsoft.Extensions.AI clients through its SDK.</summary>
    public required IProviderAdapter Adapter { get; init; }

    /// <summary>The OpenTelemetry <c>gen_ai.provider.name</c>: the convention's well-known value where there is one.</summary>
    public required string TelemetryName { get; init; }

    /// <summary>Where calls go when a provider has no base_url; null when every provider must name its own.</summary>
    public string? DefaultBaseUrl { get; init; }

    /// <summary>A provider of this kind must have a base_url: the kind has no well-known address.</summary>
    public bool RequiresBaseUrl => DefaultBaseUrl is null;

    /// <summary>Cannot be called without a key (local and self-hosted endpoints may not need one).</summary>
    public bool RequiresApiKey { get; init; }

    /// <summary>The header that carries the key; null for <c>Authorization: Bearer</c>.</summary>
    public string? KeyHeader { get; init; }

    /// <summary>The field the passthrough writes a model's default token limit under.</summary>
    public string MaxTokensField { get; init; } = "max_tokens";

    /// <summary>
    /// Whether the passthrough asks a stream for its usage (<c>stream_options.include_usage</c>) when the caller did
    /// not: only for kinds documented to accept it (strict servers refuse unknown fields with 4xx).
    /// </summary>
    public bool AsksStreamUsage { get; init; }

    /// <summary>
    /// Serves OpenAI's Responses API (<c>/responses</c>) itself, so the gateway passes a Responses request through; for
    /// any other kind it is translated to the kind's chat API. Only kinds whose Responses API is the reference one (or
    /// documented as identical) say so: partial implementations would fail on what they leave out.
    /// </summary>
    public bool ServesResponses { get; init; }

    /// <summary>
    /// Fields of OpenAI's API the provider refuses (with a 4xx for unknown fields) and that Modelgate's clients may
    /// send: never sent to it (see <see cref="SentAs"/>), on the passthrough and the SDK path alike.
    /// </summary>
    public IReadOnlyList<string> RefusedFields { get; init; } = [];

    /// <summary>
    /// The name a request's field is sent under to this kind: its own; a refused token limit under
    /// <see cref="MaxTokensField"/> (unless the body has that one too); null for any other refused field (left out).
    /// </summary>
    public string? SentAs(string field, System.Text.Json.Nodes.JsonObject body)
    {
        if (RefusedFields.Count == 0 || !RefusedFields.Contains(field))
        {
            return field;
        }

        return field is "max_tokens" or "max_completion_tokens" && !body.ContainsKey(MaxTokensField) ? MaxTokensField : null;
    }

    /// <summary>The environment variable holding a key for the environment fallback; null when the kind has none.</summary>
    public string? KeyVariable { get; init; }

    /// <summary>The environment variable that may override the base URL in the environment fallback.</summary>
    public string? BaseUrlVariable { get; init; }

    /// <summary>List prices of well-known models, used when a model is created without prices.</summary>
    public BuiltInPriceList Prices { get; init; } = BuiltInPriceList.None;

    /// <summary>What the console's provider form says for this kind.</summary>
    public required ProviderFormHints Form { get; init; }

    public static ProviderKind Anthropic => AnthropicKind.Descriptor;

    public static ProviderKind OpenAI => OpenAIKind.Descriptor;

    public static ProviderKind AzureOpenAI => AzureOpenAIKind.Descriptor;

    public static ProviderKind Ollama => OllamaKind.Descriptor;

    public static ProviderKind OpenAICompatible => OpenAICompatibleKind.Descriptor;

    public string ToName() => Name;

    /// <summary>Puts the key on a request where this kind expects it.</summary>
    public void Authorize(HttpRequestMessage message, string key)
    {
        if (KeyHeader is null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            message.Headers.Add(KeyHeader, key);
        }
    }

    public override string ToString() => Name;
}
