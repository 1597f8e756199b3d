using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Modelgate.Core.Providers;

namespace Modelgate.Core.Catalog;

/// <summary>
/// A provider's kind in a stored snapshot (version history, last-known-good file). The kinds that existed when the kind
/// was an enum keep the enum's spelling (<c>open-ai</c>, <c>azure-open-ai</c>, ...), so snapshots written before stay
/// readable and instances of an earlier version sharing the database during a rolling upgrade read the new ones as long
/// as no provider of a later kind exists (those are written by wire name, which an earlier version cannot read: see
/// "Upgrade rule" in docs/architecture.md). A name this version does not know reads as openai-compatible, as the database's type does.
/// </summary>
internal sealed class SnapshotProviderKindConverter : JsonConverter<ProviderKind>
{
    private static readonly FrozenDictionary<ProviderKind, string> EnumSpelling = new Dictionary<ProviderKind, string>
    {
        [ProviderKind.Anthropic] = nameof(ProviderKind.Anthropic),
        [ProviderKind.OpenAI] = nameof(ProviderKind.OpenAI),
        [ProviderKind.AzureOpenAI] = nameof(ProviderKind.AzureOpenAI),
        [ProviderKind.Ollama] = nameof(ProviderKind.Ollama),
        [ProviderKind.OpenAICompatible] = nameof(ProviderKind.OpenAICompatible),
    }.ToFrozenDictionary(e => e.Key, e => JsonNamingPolicy.KebabCaseLower.ConvertName(e.Value));

    private static readonly FrozenDictionary<string, ProviderKind> ByEnumSpelling =
        EnumSpelling.ToFrozenDictionary(e => e.Value, e => e.Key, StringComparer.OrdinalIgnoreCase);

    public override ProviderKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString();
        return name is not null && ByEnumSpelling.TryGetValue(name, out var old) ? old
            : ProviderKinds.TryParse(name, out var kind) ? kind
            : ProviderKind.OpenAICompatible;
    }

    public override void Write(Utf8JsonWriter writer, ProviderKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(EnumSpelling.GetValueOrDefault(value) ?? value.Name);
}
