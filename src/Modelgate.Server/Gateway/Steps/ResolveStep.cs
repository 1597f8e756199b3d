using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Server.Gateway.Translation;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway.Steps;

/// <summary>
/// Resolves <c>model</c> (a purpose, an alias or a configured model) and its fallbacks in one read of the catalog
/// (<see cref="ModelResolver.ResolveChain"/>, as direct mode does), keeps the part of the chain the key may use
/// (<see cref="KeyAdmission.Chain"/>), and checks what the endpoint needs from the resolved model: its kind (a chat
/// model for a chat operation, an embedding model for embeddings) and, for Anthropic's Messages API, a max_tokens. Sets
/// <see cref="Usage.GatewayCall.Request"/> and the call's limits (<see cref="Usage.GatewayCall.Limits"/>), taken by the pipeline.
/// </summary>
internal sealed class ResolveStep(GatewayServices services, GatewayFormat format, string operation, bool needsMaxTokens, bool copiesToShadows = true) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var (body, requested) = context.Features.Get<CheckedBody>()!;
        var call = Usage.GatewayCall.Of(context)!;
        call.Session = GatewaySession.Of(context, body, format);
        Routing routing;
        try
        {
            routing = services.Resolver.Route(requested, new ExperimentUnit(call.Session, call.Key?.Id, call.RequestId.ToString("N")), services.Time.GetUtcNow());
        }
        catch (ModelgateConfigurationException e)
        {
            return GatewayErrors.Write(format, 404, e.Message, param: "model", code: "model_not_found");
        }

        var (chain, refusal) = KeyAdmission.Chain(call.Key!, requested, routing.Chain);
        if (refusal is not null && routing.Arm is not null)
        {
            // A key that may not use its assigned variant's models is served as if no experiment ran, not refused for it.
            routing = routing.WithoutExperiment();
            (chain, refusal) = KeyAdmission.Chain(call.Key!, requested, routing.Chain);
        }

        if (refusal is not null)
        {
            return GatewayErrors.Refused(format, refusal);
        }

        if (chain![0].Alias is { Deprecated: true } deprecated)
        {
            // A deprecation redirect still serves, and says so on every answer, so callers can find and move their code.
            context.Response.Headers["x-modelgate-deprecated"] = $"{deprecated.Name} -> {chain[0].Model.ModelId}";
        }

        if (routing.Arm is { } arm)
        {
            // Which arm served the call, so a caller (and a test) can tell, and group its own metrics by it.
            context.Response.Headers[ExperimentHeader] = $"{arm.Experiment}/{arm.Variant}";
        }

        call.Request = new GatewayRequest(body, call.Key!, chain[0], requested, chain);
        // The prompt is counted for a token limit or a budget only, bounded like every count on a request's thread.
        call.Limits = services.Limits.Start(call.Key, () => PromptTokens.Estimate(body, TokenEstimator.ExactChars / 4),
            GatewayRequest.MaxOutputTokens(body), answers: operation != UsageOperations.Embeddings);
        // A model of the other kind would be sent a request it cannot serve. Only the first model needs the check: the
        // resolver keeps only fallbacks of the purpose's kind (ResolutionTable.Chain), and a model asked for by name has none.
        if (WrongKind(context, requested, chain[0]) is { } wrongKind)
        {
            return wrongKind;
        }

        // Anthropic's API requires max_tokens: refused here, in its format, unless the model has a default.
        if (needsMaxTokens && format == GatewayFormat.Anthropic && AnthropicPassthrough.Missing(body, chain[0]) is { } field)
        {
            return GatewayErrors.Write(format, 400, $"{field}: Field required", param: field);
        }

        // Shadow variants get a copy of the call, read now (before the body is rewritten for the provider) and sent in the
        // background once the caller has had a successful answer; their answers are recorded, never returned. A Responses
        // call continuing a kept one is not copied: its history is the gateway's to add, and a copy without it would be
        // another question.
        if (routing.Shadows.Count > 0 && copiesToShadows && operation == UsageOperations.Chat && body["previous_response_id"] is null
            && ShadowInput(body) is { } input)
        {
            context.Response.OnCompleted(() =>
            {
                if (context.Response.StatusCode < 400 && call.ErrorClass is null)
                {
                    services.Shadows.Send(routing.Shadows, input.Messages, input.Options, UsageSource.Gateway);
                }

                return Task.CompletedTask;
            });
        }

        return await next(invocation);
    }

    // The call as the translation readers see it, or null when the body has a shape they refuse (the call itself is
    // answered as it would be without the experiment).
    private (List<ChatMessage> Messages, ChatOptions Options)? ShadowInput(JsonObject body)
    {
        try
        {
            var (messages, options, error) = format switch
            {
                GatewayFormat.Anthropic => AnthropicRequestReader.Read(body),
                GatewayFormat.Responses => ResponsesRequestReader.Read(body),
                _ => OpenAIRequestReader.Read(body),
            };
            return error is null ? (messages, options) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException or ArgumentException or UriFormatException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>The response header naming the experiment and variant that served the call.</summary>
    public const string ExperimentHeader = "x-modelgate-experiment";

    private IResult? WrongKind(HttpContext context, string requested, ResolvedModel resolved)
    {
        var needed = operation == UsageOperations.Embeddings ? ModelKind.Embedding : ModelKind.Chat;
        var kind = resolved.Model.Kind;
        if (kind == needed)
        {
            return null;
        }

        var which = requested == resolved.Model.ModelId
            ? $"'{requested}' is"
            : $"'{requested}' resolves to model '{resolved.Model.ModelId}', which is";
        var ask = needed == ModelKind.Chat ? "a chat purpose (chat, agents, agents/<type>) or a chat model" : "'embeddings' or an embedding model";
        var message = $"{which} {Article(kind)} model (its type in Modelgate's catalog); "
            + $"{context.Request.Method} {context.Request.Path} needs {Article(needed)} model: ask for {ask} (GET /v1/models).";
        return GatewayErrors.Write(
            format, 400, format == GatewayFormat.Anthropic ? "model: " + message : message, param: "model", code: "model_kind_mismatch");
    }

    private static string Article(ModelKind kind) => kind == ModelKind.Embedding ? "an embedding" : "a chat";
}
