using Microsoft.Extensions.AI;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Serves a chat request from a provider of another format (OpenAI format → Anthropic or Ollama, Anthropic format →
/// OpenAI-protocol providers or Ollama) through the provider's Microsoft.Extensions.AI client: request and answer are
/// translated, streaming included. Failures before the first byte become errors with the right status in the
/// caller's format (<see cref="GatewayDispatch"/>); after it, the stream ends with an error event.
/// </summary>
internal sealed class TranslatingChat(ModelClients models, GatewayOptions gatewayOptions, GatewayDrain drain, ResponsesHistory history)
{
    /// <summary>
    /// Opens one model of the chain: the answer (whole, or a stream with its first update in hand) to relay, a 400 for a
    /// request that cannot be translated, or an exception the next model may take over. <paramref name="beforeFirstByte"/>
    /// is the request's deadline for a first byte.
    /// </summary>
    public async Task<GatewayAnswer> OpenAsync(HttpContext context, GatewayRequest request, ResolvedModel resolved, GatewayFormat format, CancellationToken beforeFirstByte)
    {
        List<ChatMessage> messages;
        ChatOptions options;
        string? error;
        bool streaming;
        try
        {
            (messages, options, error) = format switch
            {
                GatewayFormat.Anthropic => AnthropicRequestReader.Read(request.Body),
                GatewayFormat.Responses => ResponsesRequestReader.Read(request.Body),
                _ => OpenAIRequestReader.Read(request.Body),
            };
            streaming = request.Body["stream"]?.GetValue<bool>() == true;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException or ArgumentException or UriFormatException or NullReferenceException)
        {
            // A field of the wrong type or shape: the caller's mistake, said in the caller's format.
            (messages, options, error, streaming) = ([], new ChatOptions(), "The request does not have the expected shape: a field has the wrong type or is missing.", false);
        }

        if (error is not null)
        {
            // The Responses reader starts its messages with the field at fault ("input[2]: …", "tools: …").
            var field = error.Split(':')[0];
            return GatewayAnswer.Error(GatewayErrors.Write(format, 400, error,
                param: format != GatewayFormat.Responses ? "messages" : field.Contains(' ', StringComparison.Ordinal) ? "input" : field));
        }

        // The provider's limits, retries, breaker and first-byte timeout are the client's (ModelClients), as in direct mode.
        var client = models.ChatClient(resolved);
        if (!streaming)
        {
            var response = await client.GetResponseAsync(messages, options, beforeFirstByte);
            return new GatewayAnswer(caller => WriteAsync(caller, request, response, messages, resolved, format));
        }

        // The first update decides the status: until a byte is written, a failure can still go to the next fallback.
        var stream = await TranslatedStream.OpenAsync(client, messages, options, context.RequestAborted, beforeFirstByte);
        return new GatewayAnswer(caller => RelayAsync(caller, request, stream, messages, resolved, format), stream);
    }

    private async Task WriteAsync(HttpContext context, GatewayRequest request, ChatResponse response, List<ChatMessage> messages, ResolvedModel resolved, GatewayFormat format)
    {
        if (GatewayCall.Of(context) is { } call)
        {
            // Without usage from the provider, the tokenizer counts prompt and answer (marked estimated).
            if (TokenCounts.From(response.Usage) is { } counts)
            {
                call.Tokens = counts;
            }
            else
            {
                var answer = response.Text;
                call.CountLater(exactChars => TokenEstimator.Estimate(messages.Select(m => m.Text), answer, exactChars));
            }
        }

        GatewayErrors.ServedBy(context, resolved);
        object body = format switch
        {
            GatewayFormat.Anthropic => AnthropicResponseWriter.Message(response, resolved.Model.ModelId),
            GatewayFormat.Responses => await KeptAsync(context, ResponsesWriter.Response(response, resolved.Model.ModelId, request.Body, history.Keeps(request.Body))),
            _ => OpenAIResponseWriter.Completion(response, resolved.Model.ModelId),
        };
        GatewayCall.Of(context)?.Complete();
        await context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    private async Task RelayAsync(HttpContext context, GatewayRequest request, TranslatedStream stream, List<ChatMessage> messages, ResolvedModel resolved, GatewayFormat format)
    {
        GatewayErrors.ServedBy(context, resolved);
        var updates = Counted(stream.ReadAllAsync(gatewayOptions, drain), GatewayCall.Of(context), messages, drain.Ended, context.RequestAborted);
        await (format switch
        {
            // message_start needs the prompt's tokens before the provider reports them: a quarter of the usual tokenizer
            // budget keeps this well under a millisecond for every stream; the provider's count follows in message_delta.
            GatewayFormat.Anthropic => AnthropicResponseWriter.StreamAsync(
                context, updates, resolved.Model.ModelId, PromptTokens.Estimate(request.Body, TokenEstimator.ExactChars / 4)),
            GatewayFormat.Responses => ResponsesWriter.StreamAsync(context, updates, resolved.Model.ModelId, request.Body, history.Keeps(request.Body),
                final => KeptAsync(context, final)),
            _ => OpenAIResponseWriter.StreamAsync(context, updates, resolved.Model.ModelId, request.CallerAsksStreamUsage),
        });
    }

    // A Responses API answer is kept before the caller has it, so a call continuing from it at once finds it.
    private async Task<System.Text.Json.Nodes.JsonObject> KeptAsync(HttpContext context, System.Text.Json.Nodes.JsonObject response)
    {
        await history.KeepAsync(context, response);
        return response;
    }

    // Passes the updates on, noting the first one, the usage and the text, so the call's tokens are known at the end
    // — reported when the stream finished with usage, else counted (and marked estimated).
    private static async IAsyncEnumerable<ChatResponseUpdate> Counted(
        IAsyncEnumerable<ChatResponseUpdate> updates, GatewayCall? call, List<ChatMessage> messages, CancellationToken drainEnded,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken callerGone = default)
    {
        if (call is null)
        {
            await foreach (var update in updates)
            {
                yield return update;
            }

            yield break;
        }

        call.Streamed = true;
        UsageDetails? usage = null;
        var text = new TextSample();
        var complete = false;
        try
        {
            await foreach (var update in updates)
            {
                call.FirstByte();
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent used)
                    {
                        usage = used.Details;
                    }
                    else if (content is TextContent part)
                    {
                        text.Append(part.Text);
                    }
                }

                yield return update;
            }

            complete = true;
        }
        finally
        {
            if (!complete)
            {
                call.ErrorClass ??= callerGone.IsCancellationRequested ? "client_closed" : drainEnded.IsCancellationRequested ? "shutdown" : "stream_broken";
            }

            if ((complete ? TokenCounts.From(usage) : null) is { } counts)
            {
                call.Tokens = counts;
            }
            else
            {
                call.CountLater(exactChars => TokenEstimator.Estimate(messages.Select(m => m.Text), text, exactChars));
            }

            // Before the writer sends its last events: the record is kept before the caller has the whole answer, and a
            // stream cut by the drain is recorded before its terminal event goes out, so the stopping host finds the
            // record already handed to the writer (as on the relayed path).
            if (complete || call.ErrorClass == "shutdown")
            {
                call.Complete();
            }
        }
    }
}
