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
internal sealed class TranslatingChat(ProviderClientCache clients)
{
    public async Task ForwardAsync(HttpContext context, GatewayRequest request, GatewayFormat format)
    {
        var (messages, options, error) = format == GatewayFormat.OpenAI ? OpenAIRequestReader.Read(request.Body) : AnthropicRequestReader.Read(request.Body);
        if (error is not null)
        {
            await GatewayErrors.Write(format, 400, error, param: "messages").ExecuteAsync(context);
            return;
        }

        var resolved = request.Resolved;
        var client = clients.ChatClient(resolved);
        context.Response.Headers["x-modelgate-model"] = resolved.Model.ModelId;
        context.Response.Headers["x-modelgate-provider"] = resolved.Provider.Name;
        var stream = request.Body["stream"]?.GetValue<bool>() == true;
        if (!stream)
        {
            try
            {
                var response = await client.GetResponseAsync(messages, options, context.RequestAborted);
                var body = format == GatewayFormat.OpenAI
                    ? OpenAIResponseWriter.Completion(response, resolved.Model.ModelId)
                    : AnthropicResponseWriter.Message(response, resolved.Model.ModelId);
                await context.Response.WriteAsJsonAsync(body, context.RequestAborted);
            }
            catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
            {
                await Failure(resolved, e, format).ExecuteAsync(context);
            }

            return;
        }

        var updates = client.GetStreamingResponseAsync(messages, options, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        try
        {
            // The first update decides the status: until a byte is written, a failure can still be a proper error response.
            bool any;
            try
            {
                any = await updates.MoveNextAsync();
            }
            catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
            {
                await Failure(resolved, e, format).ExecuteAsync(context);
                return;
            }

            var rest = Continue(any ? updates.Current : null, updates);
            if (format == GatewayFormat.OpenAI)
            {
                var includeUsage = request.Body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
                await OpenAIResponseWriter.StreamAsync(context, rest, resolved.Model.ModelId, includeUsage);
            }
            else
            {
                await AnthropicResponseWriter.StreamAsync(context, rest, resolved.Model.ModelId);
            }
        }
        finally
        {
            await updates.DisposeAsync();
        }
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
        return failure.StatusCode switch
        {
            429 => GatewayErrors.Write(format, 429, $"Rate limited by {who}.", code: "rate_limit_exceeded", retryAfter: TimeSpan.FromSeconds(1)),
            null => GatewayErrors.Write(format, error is TimeoutException ? 504 : 502, $"{who} could not be reached.", code: "upstream_error"),
            >= 400 and < 500 and not (401 or 403) => GatewayErrors.Write(format, failure.StatusCode.Value, $"{who} rejected the request (HTTP {failure.StatusCode}).", code: "upstream_rejected"),
            _ => GatewayErrors.Write(format, 502, $"{who} failed (HTTP {failure.StatusCode}).", code: "upstream_error"),
        };
    }
}
