using Modelgate.Core.Pipeline;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Anthropic's <c>POST /v1/messages/count_tokens</c>, after the gateway's checks (authenticated, bounded, no hostile
/// fields, the model resolved within the key's allow-lists: <see cref="Steps.GatewaySteps.WithTokenCountSteps"/>). For an
/// Anthropic provider the request goes to its own count_tokens with the model and credentials rewritten, and its
/// answer (or error, in Anthropic's format) comes back; for any other provider Modelgate's tokenizer estimates the
/// prompt. <see cref="Header"/> says which. It is no model call: no usage record, no cost, and it takes nothing of the
/// provider's configured limits or circuit (Anthropic's count_tokens has limits of its own).
/// </summary>
internal sealed class MessageTokenCount(HttpMessageInvoker upstream, PipelineOptions pipeline, GatewayOptions options)
{
    /// <summary>The response header that says where the count came from: <c>provider</c> or <c>estimated</c>.</summary>
    public const string Header = "x-modelgate-token-count";

    public async Task ServeAsync(HttpContext context)
    {
        var request = GatewayCall.Of(context)!.Request!;
        // The model the request resolves to now: the one /v1/messages would ask first.
        var model = request.Resolved;
        if (!AnthropicPassthrough.Serves(model.Provider.Kind))
        {
            // Bounded work whatever the body (TokenEstimator.ExactChars through the tokenizer, the rest by rate), so it
            // may run on the request's thread.
            var tokens = PromptTokens.Estimate(request.Body);
            GatewayErrors.ServedBy(context, model);
            context.Response.Headers[Header] = "estimated";
            await context.Response.WriteAsJsonAsync(new { input_tokens = tokens }, context.RequestAborted);
            return;
        }

        // Anthropic refuses max_tokens here ("Extra inputs are not permitted"): the model's defaults are not added.
        var json = ForwardedBody.Write(request.Body, model.Model.ModelId, []);
        var build = AnthropicPassthrough.Requests(context, model, "/v1/messages/count_tokens", json);
        HttpResponseMessage response;
        using (var firstByte = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            firstByte.CancelAfter(pipeline.FirstByteTimeout);
            try
            {
                using var message = build();
                response = await upstream.SendAsync(message, firstByte.Token);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested
                && e is OperationCanceledException or HttpRequestException or IOException)
            {
                var failure = e is OperationCanceledException
                    ? GatewayErrors.TimedOut(GatewayFormat.Anthropic, model)
                    : GatewayErrors.Unreachable(GatewayFormat.Anthropic, model);
                await failure.ExecuteAsync(context);
                return;
            }
        }

        if (response.IsSuccessStatusCode)
        {
            context.Response.Headers[Header] = "provider";
        }

        // Bounded and checked as any whole answer; an error in Anthropic's format, the provider's message redacted.
        await UpstreamResponse.RelayAsync(context, response, model, GatewayFormat.Anthropic, options, UsageRule.Anthropic);
    }
}
