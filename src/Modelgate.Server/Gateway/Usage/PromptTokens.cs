using System.Text.Json;
using System.Text.Json.Nodes;
using Modelgate.Core.Usage;

namespace Modelgate.Server.Gateway.Usage;

/// <summary>
/// Counts the tokens of a request's prompt (OpenAI's chat, embeddings or Responses format, or Anthropic's) with the
/// tokenizer: for calls whose provider reported none, for Anthropic's count_tokens answered here, and for the first
/// event of a translated Anthropic stream. The prompt is what the model reads: the system prompt or instructions, each
/// message's text, thinking, tool calls and tool results, and the tool definitions; images and documents are not counted. Bounded like every count (<see cref="TokenEstimator"/>):
/// at most <c>exactChars</c> characters go through the tokenizer, the rest is counted at the rate they showed.
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
                if (message is JsonObject fields)
                {
                    Collect(fields["content"], parts);
                    // An OpenAI-format assistant message carries its tool calls beside its content.
                    Collect(fields["tool_calls"], parts);
                }

                texts.Add(string.Concat(parts));
            }
        }

        // Tool definitions (names, descriptions, schemas) are read by the model as part of its prompt.
        if (body["tools"] is JsonArray tools)
        {
            foreach (var tool in tools)
            {
                if (tool is JsonObject definition)
                {
                    texts.Add(definition.ToJsonString());
                }
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
                    Collect(part, texts);
                }

                break;
            case JsonObject block:
                // A content block: text, thinking, a tool result's content (text or blocks), a tool call (Anthropic's
                // tool_use input, an OpenAI tool call's function). An image's or document's data is not text.
                Collect(block["text"], texts);
                Collect(block["thinking"], texts);
                Collect(block["content"], texts);
                if (block["input"] is JsonObject input)
                {
                    Collect(block["name"], texts);
                    texts.Add(input.ToJsonString());
                }

                if (block["function"] is JsonObject function)
                {
                    Collect(function["name"], texts);
                    Collect(function["arguments"], texts);
                }

                break;
        }
    }
}
