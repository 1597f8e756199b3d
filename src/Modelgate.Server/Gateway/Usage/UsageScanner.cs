using System.Text;
using System.Text.Json;
using Modelgate.Core.Usage;

namespace Modelgate.Server.Gateway.Usage;

/// <summary>
/// Token usage as a provider reports it, gathered from a whole answer or from the events of a stream. Later
/// values replace earlier ones: Anthropic's <c>message_delta</c> carries cumulative counts, and OpenAI's usage
/// comes once, in the last chunk.
/// </summary>
internal struct ReportedUsage
{
    public long? PromptTokens;
    public long? CompletionTokens;
    public long? CachedTokens;
    public long? InputTokens;
    public long? OutputTokens;
    public long? CacheReadTokens;
    public long? CacheCreationTokens;
    public long? CacheCreationLongTokens;

    /// <summary>The counts when the provider reported what <paramref name="rule"/> needs, else null.</summary>
    public readonly TokenCounts? Counts(UsageRule rule) => rule switch
    {
        UsageRule.OpenAIChat when PromptTokens is { } p && CompletionTokens is { } c => new TokenCounts(p, c, Math.Min(CachedTokens ?? 0, p)),
        UsageRule.OpenAIEmbeddings when PromptTokens is { } p => new TokenCounts(p, 0),
        // The Responses API names its counts like Anthropic's, but its input_tokens include cached ones, as OpenAI's do.
        UsageRule.OpenAIResponses when InputTokens is { } i && OutputTokens is { } o => new TokenCounts(i, o, Math.Min(CachedTokens ?? 0, i)),
        // Anthropic's input_tokens leave out cache reads and writes; Modelgate's input counts every prompt token.
        UsageRule.Anthropic when InputTokens is { } i && OutputTokens is { } o =>
            new TokenCounts(i + (CacheReadTokens ?? 0) + (CacheCreationTokens ?? 0), o, CacheReadTokens ?? 0)
            {
                // Cache writes: the 1-hour part when Anthropic itemises it, the rest at the 5-minute rate.
                CacheWrite = Math.Max(0, (CacheCreationTokens ?? 0) - (CacheCreationLongTokens ?? 0)),
                CacheWriteLong = Math.Min(CacheCreationLongTokens ?? 0, CacheCreationTokens ?? 0),
            },
        _ => null,
    };

    /// <summary>Input tokens alone, when known (a stream cut after Anthropic's message_start).</summary>
    public readonly long? Input(UsageRule rule) => rule switch
    {
        UsageRule.Anthropic => InputTokens is { } i ? i + (CacheReadTokens ?? 0) + (CacheCreationTokens ?? 0) : null,
        UsageRule.OpenAIResponses => InputTokens,
        _ => PromptTokens,
    };
}

/// <summary>
/// Reads a provider's JSON (a whole answer, or one stream event) in one forward pass, without building a document:
/// it checks the JSON is well formed, picks up the <c>usage</c> object of either wire format, and — when asked —
/// collects the generated text (for counting tokens when no usage comes).
/// </summary>
internal static class UsageScanner
{
    /// <summary>What one JSON value held besides usage: a Responses stream event's <c>sequence_number</c> too.</summary>
    public readonly record struct Found(bool Usage, bool EmptyChoices, long? Sequence = null);

    /// <summary>
    /// Reads <paramref name="json"/>. With <paramref name="deltasOnly"/> (a Responses API stream, whose events repeat
    /// the whole text when a part ends) only <c>delta</c> strings are collected as text.
    /// </summary>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    public static Found Scan(ReadOnlySpan<byte> json, ref ReportedUsage usage, TextSample? text, bool deltasOnly = false)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
        var (sawUsage, emptyChoices) = (false, false);
        long? sequence = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadUsage(ref reader, ref usage);
                    sawUsage = true;
                }
            }
            else if (reader.CurrentDepth == 1 && reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    reader.Read();
                    emptyChoices = reader.TokenType == JsonTokenType.EndArray;
                    if (!emptyChoices)
                    {
                        // Back in step: the array's first element is read like any other value.
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            continue;
                        }
                    }
                }
            }
            else if (reader.CurrentDepth == 1 && reader.ValueTextEquals("sequence_number"u8))
            {
                reader.Read();
                sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) ? number : sequence;
            }
            else if (text is not null && (deltasOnly ? reader.ValueTextEquals("delta"u8) : IsText(ref reader)))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    AppendString(ref reader, text);
                }
            }
        }

        return new Found(sawUsage, emptyChoices, sequence);
    }

    // Stream deltas are short: unescaped on the stack rather than as a new string each. Once the sample is full, text
    // is only measured (escapes counted as written: the count is an estimate).
    private static void AppendString(ref Utf8JsonReader reader, TextSample text)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (text.IsFull && !reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            text.Skip(Encoding.UTF8.GetCharCount(reader.ValueSpan));
            return;
        }

        if (length > 512)
        {
            text.Append(reader.GetString());
            return;
        }

        Span<char> chars = stackalloc char[512];
        text.Append(chars[..reader.CopyString(chars)]);
    }

    private static bool IsText(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("partial_json"u8)
        || reader.ValueTextEquals("arguments"u8) || reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("refusal"u8);

    private static void ReadUsage(ref Utf8JsonReader reader, ref ReportedUsage usage)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            ref var slot = ref Slot(ref reader, ref usage);
            reader.Read();
            // A count beyond belief (a broken provider) is left out, so the call's tokens are estimated instead.
            if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count) && TokenCounts.Plausible(count))
            {
                slot = count;
            }
        }
    }

    private static ref long? Slot(ref Utf8JsonReader reader, ref ReportedUsage usage)
    {
        if (reader.ValueTextEquals("prompt_tokens"u8))
        {
            return ref usage.PromptTokens;
        }

        if (reader.ValueTextEquals("completion_tokens"u8))
        {
            return ref usage.CompletionTokens;
        }

        if (reader.ValueTextEquals("cached_tokens"u8))
        {
            return ref usage.CachedTokens;
        }

        if (reader.ValueTextEquals("input_tokens"u8))
        {
            return ref usage.InputTokens;
        }

        if (reader.ValueTextEquals("output_tokens"u8))
        {
            return ref usage.OutputTokens;
        }

        if (reader.ValueTextEquals("cache_read_input_tokens"u8))
        {
            return ref usage.CacheReadTokens;
        }

        if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
        {
            return ref usage.CacheCreationTokens;
        }

        if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8))
        {
            return ref usage.CacheCreationLongTokens;
        }

        return ref System.Runtime.CompilerServices.Unsafe.NullRef<long?>();
    }
}
