using Microsoft.Extensions.AI;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// Serves an OpenAI-format chat request from a provider of another format (Anthropic, Ollama) through the
/// provider's Microsoft.Extensions.AI client: request and answer are translated, streaming included. Failures
/// before the first byte become errors with the right status; after it, the stream ends with an error event.
/// </summary>
internal sealed class TranslatingChat(ProviderClientCache clients)
{
    public async Task ForwardOpenAIAsync(HttpContext context, GatewayRequest request)
    {
        var (messages, options, error) = OpenAIRequestReader.Read(request.Body);
        if (error is not null)
        {
            await GatewayErrors.Write(GatewayFormat.OpenAI, 400, error, param: "messages").ExecuteAsync(context);
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
                await context.Response.WriteAsJsonAsync(OpenAIResponseWriter.Completion(response, resolved.Model.ModelId), context.RequestAborted);
            }
            catch (Exception e) when (ModelgateProviderException.ShouldWrap(e))
            {
                await Failure(resolved, e).ExecuteAsync(context);
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
                await Failure(resolved, e).ExecuteAsync(context);
                return;
            }

            var includeUsage = request.Body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
            await OpenAIResponseWriter.StreamAsync(context, Continue(any ? updates.Current : null, updates), resolved.Model.ModelId, includeUsage);
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

    private static IResult Failure(ResolvedModel resolved, Exception error)
    {
        var failure = ModelgateProviderException.From(resolved, error);
        var who = $"provider '{resolved.Provider.Name}' (model '{resolved.Model.ModelId}')";
        return failure.StatusCode switch
        {
            429 => GatewayErrors.Write(GatewayFormat.OpenAI, 429, $"Rate limited by {who}.", code: "rate_limit_exceeded", retryAfter: TimeSpan.FromSeconds(1)),
            null => GatewayErrors.Write(GatewayFormat.OpenAI, error is TimeoutException ? 504 : 502, $"{who} could not be reached.", code: "upstream_error"),
            >= 400 and < 500 and not (401 or 403) => GatewayErrors.Write(GatewayFormat.OpenAI, failure.StatusCode.Value, $"{who} rejected the request (HTTP {failure.StatusCode}).", code: "upstream_rejected"),
            _ => GatewayErrors.Write(GatewayFormat.OpenAI, 502, $"{who} failed (HTTP {failure.StatusCode}).", code: "upstream_error"),
        };
    }
}
