using Microsoft.Extensions.AI;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Serves a chat request from a provider of another format (OpenAI format → Anthropic or Ollama, Anthropic format →
/// OpenAI-protocol providers or Ollama) through the provider's Microsoft.Extensions.AI client: request and answer are
/// translated, streaming included. Failures before the first byte become errors with the right status in the
/// caller's format; after it, the stream ends with an error event.
/// </summary>
internal sealed class TranslatingChat(ProviderClientCache clients, ProviderResilience resilience)
{
    /// <summary>Tries one model of the chain: null when the caller got an answer, else the error if no fallback serves it.</summary>
    public async Task<IResult?> TryAsync(HttpContext context, GatewayRequest request, ResolvedModel resolved, GatewayFormat format)
    {
        List<ChatMessage> messages;
        ChatOptions options;
        string? error;
        bool stream;
        try
        {
            (messages, options, error) = format == GatewayFormat.OpenAI ? OpenAIRequestReader.Read(request.Body) : AnthropicRequestReader.Read(request.Body);
            stream = request.Body["stream"]?.GetValue<bool>() == true;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException or ArgumentException or UriFormatException or NullReferenceException)
        {
            // A field of the wrong type or shape: the caller's mistake, said in the caller's format.
            (messages, options, error, stream) = ([], new ChatOptions(), "The request does not have the expected shape: a field has the wrong type or is missing.", false);
        }

        if (error is not null)
        {
            await GatewayErrors.Write(format, 400, error, param: "messages").ExecuteAsync(context);
            return null;
        }

        if (resilience.Limits.TryAcquire(resolved) is { } wait)
        {
            return GatewayErrors.AtRequestLimit(format, resolved, wait);
        }

        var client = clients.ChatClient(resolved);
        if (!stream)
        {
            ChatResponse response;
            try
            {
                response = await resilience.ExecuteAsync(resolved, async token => await client.GetResponseAsync(messages, options, token), context.RequestAborted);
            }
            catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
            {
                return await FailedAsync(context, resolved, e, format);
            }

            if (response.Usage is not { InputTokenCount: >= 0, OutputTokenCount: >= 0 })
            {
                // An answer without token usage cannot be accounted for: treated like any broken answer.
                return GatewayErrors.Write(format, 502, $"Provider '{resolved.Provider.Name}' (model '{resolved.Model.ModelId}') sent an answer without valid token usage.", code: "upstream_invalid");
            }

            GatewayErrors.ServedBy(context, resolved);
            var body = format == GatewayFormat.OpenAI
                ? OpenAIResponseWriter.Completion(response, resolved.Model.ModelId)
                : AnthropicResponseWriter.Message(response, resolved.Model.ModelId);
            await context.Response.WriteAsJsonAsync(body, context.RequestAborted);
            return null;
        }

        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            // The first update decides the status: until a byte is written, a failure can still go to the next fallback.
            bool any;
            try
            {
                (updates, any) = await resilience.ExecuteAsync(resolved, async token =>
                {
                    var attempt = client.GetStreamingResponseAsync(messages, options, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
                    try
                    {
                        return (attempt, await attempt.MoveNextAsync());
                    }
                    catch
                    {
                        await attempt.DisposeAsync();
                        throw;
                    }
                }, context.RequestAborted);
            }
            catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
            {
                return await FailedAsync(context, resolved, e, format);
            }

            GatewayErrors.ServedBy(context, resolved);

            var rest = Continue(any ? updates.Current : null, updates);
            if (format == GatewayFormat.OpenAI)
            {
                var includeUsage = request.Body["stream_options"]?["include_usage"] is System.Text.Json.Nodes.JsonValue flag && flag.TryGetValue(out bool include) && include;
                await OpenAIResponseWriter.StreamAsync(context, rest, resolved.Model.ModelId, includeUsage);
            }
            else
            {
                await AnthropicResponseWriter.StreamAsync(context, rest, resolved.Model.ModelId);
            }

            return null;
        }
        finally
        {
            if (updates is not null)
            {
                await updates.DisposeAsync();
            }
        }
    }

    // Retryable failures (no answer, 429, 5xx, open circuit) go back to the chain; others reach the caller now.
    private static async Task<IResult?> FailedAsync(HttpContext context, ResolvedModel resolved, Exception error, GatewayFormat format)
    {
        var result = Failure(resolved, error, format);
        var status = error is Polly.CircuitBreaker.BrokenCircuitException ? 503 : ModelgateProviderException.From(resolved, error).StatusCode;
        if (status is { } code && !ProviderResilience.IsRetryable(code))
        {
            await result.ExecuteAsync(context);
            return null;
        }

        return result;
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Continue(ChatResponseUpdate? first, IAsyncEnumerator<ChatResponseUpdate> rest)
    {
        if (first is null)
        {
            yield break;
        }

        yield return first;
        while (await rest.MoveNextAsync())
        {
            yield return rest.Current;
        }
    }

    private static IResult Failure(ResolvedModel resolved, Exception error, GatewayFormat format)
    {
        var failure = ModelgateProviderException.From(resolved, error);
        var who = $"provider '{resolved.Provider.Name}' (model '{resolved.Model.ModelId}')";
        if (error is Polly.CircuitBreaker.BrokenCircuitException)
        {
            return GatewayErrors.CircuitOpen(format, resolved);
        }

        return failure.StatusCode switch
        {
            429 => GatewayErrors.Write(format, 429, $"Rate limited by {who}.", code: "rate_limit_exceeded", retryAfter: TimeSpan.FromSeconds(1)),
            null when error is Polly.Timeout.TimeoutRejectedException or TimeoutException => GatewayErrors.Write(format, 504, $"{who} did not answer in time.", code: "upstream_timeout"),
            null => GatewayErrors.Write(format, 502, $"{who} could not be reached.", code: "upstream_error"),
            >= 400 and < 500 and not (401 or 403) => GatewayErrors.Write(format, failure.StatusCode.Value, $"{who} rejected the request (HTTP {failure.StatusCode}).", code: "upstream_rejected"),
            _ => GatewayErrors.Write(format, 502, $"{who} failed (HTTP {failure.StatusCode}).", code: "upstream_error"),
        };
    }
}
