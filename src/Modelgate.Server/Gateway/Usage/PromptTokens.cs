using System.Text.Json;
using System.Text.Json.Nodes;
using Modelgate.Core.Usage;

namespace Modelgate.Server.Gateway.Usage;

/// <summary>
/// Counts the tokens of a request's prompt (OpenAI's chat, embeddings or Responses format, or Anthropic's) with the
/// tokenizer, for calls whose provider reported none.
/// </summary>
internal static class PromptTokens
{
    public static long Estimate(JsonObject body, int exactChars = TokenEstimator.ExactChars)
    {
        var texts = new List<string>();
        Collect(body["system"], texts);
        Collect(body["instructions"], texts);
        if (body["messages"] is JsonArray messages)
        {
            foreach (var message in messages)
            {
                var parts = new List<string>();
                Collect((message as JsonObject)?["content"], parts);
                texts.Add(string.Concat(parts));
            }
        }

        // Embeddings: one text or many (token arrays count as their length). Responses: a text, or items.
        var tokenArrays = 0L;
        var items = false;
        if (body["input"] is { } input)
        {
            foreach (var item in input is JsonArray many ? [.. many] : new JsonNode?[] { input })
            {
                if (item is JsonObject responsesItem)
                {
                    // A message's content, a function call's arguments or a function call's output.
                    var parts = new List<string>();
                    Collect(responsesItem["content"] ?? responsesItem["arguments"] ?? responsesItem["output"], parts);
                    texts.Add(string.Concat(parts));
                    items = true;
                }
                else if (item is JsonArray tokens)
                {
                    tokenArrays += tokens.Count;
                }
                else if (item is JsonValue value && value.TryGetValue(out string? text))
                {
                    texts.Add(text);
                }
                else if (item is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
                {
                    tokenArrays++;
                }
            }

            if (!items)
            {
                return tokenArrays + TokenEstimator.EstimateInputs(texts, exactChars).Input;
            }
        }

        return texts.Count == 0 ? 0 : TokenEstimator.CountMessages(texts, exactChars);
    }

    private static void Collect(JsonNode? node, List<string> texts)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue(out string? text):
                texts.Add(text);
                break;
            case JsonArray parts:
                foreach (var part in parts)
                {
                    Collect(part is JsonObject block ? block["text"] : part as JsonValue, texts);
                }

                break;
        }
    }
}
