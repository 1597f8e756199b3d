using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Writes Microsoft.Extensions.AI responses as OpenAI Responses API objects: a whole <c>response</c>, or its event
/// stream (<c>response.created</c>, <c>response.in_progress</c>, per output item <c>response.output_item.added</c> …
/// text or function-call argument deltas … <c>response.output_item.done</c>, then <c>response.completed</c> or
/// <c>response.incomplete</c> with usage), numbered by <c>sequence_number</c> as OpenAI numbers them. The request's
/// settings are echoed as OpenAI echoes them; <c>store</c> says whether the gateway keeps the call (<see cref="ResponsesHistory"/>).
/// </summary>
internal static class ResponsesWriter
{
    public static JsonObject Response(ChatResponse response, string model, JsonObject request, bool stored)
    {
        var output = new JsonArray();
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        if (string.Concat(contents.OfType<TextContent>().Select(t => t.Text)) is { Length: > 0 } text)
        {
            output.Add(Message(NewId("msg_"), text, "completed"));
        }

        foreach (var call in contents.OfType<FunctionCallContent>())
        {
            output.Add(FunctionCall(NewId("fc_"), call, Arguments(call), "completed"));
        }

        var created = (response.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return Finished(Base(NewId("resp_"), created, model, request, stored), output, response.FinishReason, response.Usage);
    }

    /// <summary>
    /// Writes the stream; <paramref name="beforeCompleted"/> sees the final response before its terminal event goes out
    /// (it is kept then, so a call continuing from it finds it).
    /// </summary>
    public static async Task StreamAsync(
        HttpContext context, IAsyncEnumerable<ChatResponseUpdate> updates, string model, JsonObject request, bool stored, Func<JsonObject, Task> beforeCompleted)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var sequence = 0L;
        async Task Send(string type, JsonObject data)
        {
            var sent = new JsonObject { ["type"] = type };
            foreach (var (name, value) in data)
            {
                sent[name] = value?.DeepClone();
            }

            sent["sequence_number"] = sequence++;
            await context.Response.WriteAsync($"event: {type}\ndata: {sent.ToJsonString()}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        var id = NewId("resp_");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Send("response.created", new JsonObject { ["response"] = Base(id, created, model, request, stored) });
        await Send("response.in_progress", new JsonObject { ["response"] = Base(id, created, model, request, stored) });

        var output = new JsonArray();
        // The message item being written: its id, index among the output items, and text so far.
        (string Id, int Index, StringBuilder Text)? open = null;
        async Task CloseText()
        {
            if (open is not { } message)
            {
                return;
            }

            var text = message.Text.ToString();
            await Send("response.output_text.done", new JsonObject
            {
                ["item_id"] = message.Id, ["output_index"] = message.Index, ["content_index"] = 0, ["text"] = text, ["logprobs"] = new JsonArray(),
            });
            await Send("response.content_part.done", new JsonObject
            {
                ["item_id"] = message.Id, ["output_index"] = message.Index, ["content_index"] = 0, ["part"] = OutputText(text),
            });
            var done = Message(message.Id, text, "completed");
            await Send("response.output_item.done", new JsonObject { ["output_index"] = message.Index, ["item"] = done });
            output[message.Index] = done.DeepClone();
            open = null;
        }

        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        try
        {
            await foreach (var update in updates.WithCancellation(context.RequestAborted))
            {
                finish = update.FinishReason ?? finish;
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } text:
                            if (open is null)
                            {
                                open = (NewId("msg_"), output.Count, new StringBuilder());
                                output.Add(Message(open.Value.Id, null, "in_progress"));
                                await Send("response.output_item.added", new JsonObject { ["output_index"] = open.Value.Index, ["item"] = Message(open.Value.Id, null, "in_progress") });
                                await Send("response.content_part.added", new JsonObject
                                {
                                    ["item_id"] = open.Value.Id, ["output_index"] = open.Value.Index, ["content_index"] = 0, ["part"] = OutputText(""),
                                });
                            }

                            open.Value.Text.Append(text.Text);
                            await Send("response.output_text.delta", new JsonObject
                            {
                                ["item_id"] = open.Value.Id, ["output_index"] = open.Value.Index, ["content_index"] = 0, ["delta"] = text.Text, ["logprobs"] = new JsonArray(),
                            });
                            break;
                        case FunctionCallContent call:
                            await CloseText();
                            var itemId = NewId("fc_");
                            var index = output.Count;
                            var arguments = Arguments(call);
                            await Send("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = FunctionCall(itemId, call, "", "in_progress") });
                            await Send("response.function_call_arguments.delta", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["delta"] = arguments });
                            await Send("response.function_call_arguments.done", new JsonObject
                            {
                                ["item_id"] = itemId, ["output_index"] = index, ["name"] = call.Name, ["arguments"] = arguments,
                            });
                            var item = FunctionCall(itemId, call, arguments, "completed");
                            output.Add(item);
                            await Send("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item.DeepClone() });
                            break;
                        case UsageContent used:
                            usage = used.Details;
                            break;
                    }
                }
            }
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // After the first byte nothing is retried: the stream ends with the Responses API's error event.
            await context.Response.WriteAsync(StreamErrorEvent.For(GatewayFormat.Responses, UpstreamStreamException.MessageFor(context, e), sequence), context.RequestAborted);
            return;
        }

        await CloseText();
        var final = Finished(Base(id, created, model, request, stored), output, finish, usage);
        await beforeCompleted(final);
        await Send(final["status"]!.GetValue<string>() == "incomplete" ? "response.incomplete" : "response.completed", new JsonObject { ["response"] = final });
    }

    // The response object as it stands before any output, echoing the request's settings as OpenAI does.
    private static JsonObject Base(string id, long created, string model, JsonObject request, bool stored) => new()
    {
        ["id"] = id,
        ["object"] = "response",
        ["created_at"] = created,
        ["status"] = "in_progress",
        ["background"] = false,
        ["error"] = null,
        ["incomplete_details"] = null,
        ["instructions"] = Echo(request, "instructions"),
        ["max_output_tokens"] = Echo(request, "max_output_tokens"),
        ["max_tool_calls"] = null,
        ["model"] = model,
        ["output"] = new JsonArray(),
        ["parallel_tool_calls"] = Echo(request, "parallel_tool_calls") ?? true,
        ["previous_response_id"] = null,
        ["reasoning"] = new JsonObject { ["effort"] = null, ["summary"] = null },
        ["service_tier"] = "default",
        ["store"] = stored,
        ["temperature"] = Echo(request, "temperature") ?? 1.0,
        ["text"] = Echo(request, "text") ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
        ["tool_choice"] = Echo(request, "tool_choice") ?? "auto",
        ["tools"] = Echo(request, "tools") ?? new JsonArray(),
        ["top_p"] = Echo(request, "top_p") ?? 1.0,
        ["truncation"] = Echo(request, "truncation") ?? "disabled",
        ["usage"] = null,
        ["user"] = Echo(request, "user"),
        ["metadata"] = Echo(request, "metadata") ?? new JsonObject(),
    };

    private static JsonNode? Echo(JsonObject request, string name) => request[name]?.DeepClone();

    // A length or content-filter stop is OpenAI's "incomplete", with its reason.
    private static JsonObject Finished(JsonObject response, JsonArray output, ChatFinishReason? finish, UsageDetails? usage)
    {
        var reason = finish == ChatFinishReason.Length ? "max_output_tokens" : finish == ChatFinishReason.ContentFilter ? "content_filter" : null;
        response["status"] = reason is null ? "completed" : "incomplete";
        response["incomplete_details"] = reason is null ? null : new JsonObject { ["reason"] = reason };
        response["output"] = output.DeepClone();
        response["usage"] = Usage(usage);
        return response;
    }

    private static JsonObject Message(string id, string? text, string status) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["status"] = status,
        ["role"] = "assistant",
        ["content"] = text is null ? new JsonArray() : new JsonArray(OutputText(text)),
    };

    private static JsonObject OutputText(string text) => new()
    {
        ["type"] = "output_text", ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(), ["text"] = text,
    };

    private static JsonObject FunctionCall(string id, FunctionCallContent call, string arguments, string status) => new()
    {
        ["id"] = id, ["type"] = "function_call", ["status"] = status, ["arguments"] = arguments, ["call_id"] = call.CallId, ["name"] = call.Name,
    };

    private static string Arguments(FunctionCallContent call) => JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>());

    private static JsonObject Usage(UsageDetails? usage)
    {
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        return new JsonObject
        {
            ["input_tokens"] = input,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = usage?.CachedInputTokenCount ?? 0 },
            ["output_tokens"] = output,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage?.ReasoningTokenCount ?? 0 },
            ["total_tokens"] = usage?.TotalTokenCount ?? input + output,
        };
    }

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");
}
