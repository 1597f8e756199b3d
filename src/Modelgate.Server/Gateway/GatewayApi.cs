using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Server.Api;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway;

/// <summary>The OpenAI-compatible gateway: <c>/v1/chat/completions</c>, <c>/v1/embeddings</c>, <c>/v1/models</c>.</summary>
internal static class GatewayApi
{
    public static WebApplication MapGateway(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Gateway (OpenAI format)");
        v1.MapPost("/chat/completions", (HttpContext c, GatewayServices services) => services.Concurrency.ServeAsync(c, GatewayFormat.OpenAI, () => RecordedAsync(c, services, UsageOperations.Chat, call => ForwardAsync(c, services, "chat/completions", call))))
            .WithName("ChatCompletions").WithSummary("OpenAI chat completions; 'model' is a purpose (agents, chat, agents/<type>) or a configured model. Authenticate with a virtual key.");
        v1.MapPost("/embeddings", (HttpContext c, GatewayServices services) => services.Concurrency.ServeAsync(c, GatewayFormat.OpenAI, () => RecordedAsync(c, services, UsageOperations.Embeddings, call => ForwardAsync(c, services, "embeddings", call))))
            .WithName("Embeddings").WithSummary("OpenAI embeddings; 'model' is 'embeddings' or a configured embedding model.");
        v1.MapPost("/messages", (HttpContext c, GatewayServices services) => services.Concurrency.ServeAsync(c, GatewayFormat.Anthropic, () => RecordedAsync(c, services, UsageOperations.Chat, call => ForwardMessagesAsync(c, services, call)))).WithTags("Gateway (Anthropic format)").WithName("Messages")
            .WithSummary("Anthropic Messages API; 'model' is a purpose or a configured model. Authenticate with a virtual key as x-api-key or Bearer.");
        v1.MapGet("/models", ListModels).WithName("ListGatewayModels").WithSummary("Purposes and configured active models this key may use, in OpenAI's list format.");
        // Any other route under /v1/ answers in the caller's format, not problem+json: SDKs show that message to people.
        app.MapFallback("/v1/{**path}", UnknownRoute).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Serves one call and records it: one usage record per call of a known key (success or failure, whatever the
    /// status), handed to the background writer without waiting, and the same figures as OpenTelemetry metrics. A
    /// whole answer is recorded before its last bytes go out (<see cref="GatewayCall.Complete"/>); anything else when
    /// the response is over. The caller gets the record's id in <c>x-modelgate-request-id</c>.
    /// </summary>
    private static async Task RecordedAsync(HttpContext context, GatewayServices services, string operation, Func<GatewayCall, Task> serve)
    {
        var call = new GatewayCall(operation, services.Time.GetUtcNow(), services.Catalog.State.Snapshot.Version);
        context.Features.Set(call);
        context.Response.Headers[RequestIdHeader] = call.RequestId.ToString();
        var activity = GatewayTelemetry.Start(operation, context.Request.Path.Value ?? "");
        call.OnComplete(c => RecordSafely(context, services, c, activity));
        context.Response.OnCompleted(() =>
        {
            call.Complete();
            return Task.CompletedTask;
        });
        try
        {
            await serve(call);
        }
        catch (Exception e)
        {
            var callerLeft = context.RequestAborted.IsCancellationRequested || CallerLeft.Explains(e, context);
            call.ErrorClass ??= callerLeft ? "client_closed" : "internal_error";
            throw;
        }
        finally
        {
            call.Ended();
        }
    }

    /// <summary>The response header that carries the id of the call's usage record.</summary>
    public const string RequestIdHeader = "x-modelgate-request-id";

    // Recording runs before the answer's last bytes on the request path: whatever goes wrong in it must not cost the
    // caller an answer that was served. It is logged once, without the request.
    private static void RecordSafely(HttpContext context, GatewayServices services, GatewayCall call, System.Diagnostics.Activity? activity)
    {
        try
        {
            Record(context, services, call, activity);
        }
        catch (Exception e)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Modelgate.Gateway.Usage")
                .LogError("The usage record of call {RequestId} could not be made ({Error}).", call.RequestId, e.GetType().Name);
        }
    }

    private static void Record(HttpContext context, GatewayServices services, GatewayCall call, System.Diagnostics.Activity? activity)
    {
        if (call.Key is null)
        {
            // Unauthenticated traffic is not recorded: it would let anyone fill the usage table.
            activity?.Dispose();
            return;
        }

        var status = context.Response.StatusCode;
        if (call.CountsLater)
        {
            // The tokenizer's work never runs on a request's thread.
            services.Counting.Enqueue(exactChars => Record(services, call, status, exactChars, activity));
            return;
        }

        Record(services, call, status, TokenEstimator.ExactChars, activity);
    }

    private static void Record(GatewayServices services, GatewayCall call, int status, int exactChars, System.Diagnostics.Activity? activity)
    {
        using (activity)
        {
            var record = call.ToRecord(status, exactChars);
            if (call.Model is { } served)
            {
                services.Limits.Spent(served, record.Tokens.Total);
            }

            services.Usage.Record(record);
            services.Telemetry.Record(record, call.Request?.Requested, call.Model?.Provider.Kind, activity);
        }
    }

    private static async Task ForwardAsync(HttpContext context, GatewayServices services, string path, GatewayCall call)
    {
        var (request, error) = await GatewayRequest.ReadAsync(context, GatewayFormat.OpenAI, services, call);
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }

        await DispatchAsync(context, request!, GatewayFormat.OpenAI, services.Options, call, (candidate, deadline) =>
            OpenAIPassthrough.Serves(candidate.Provider.Kind) ? services.OpenAI.TryAsync(context, request!, candidate, path, deadline)
            : path == "embeddings" ? services.Embeddings.TryAsync(context, request!, candidate, deadline)
            : services.Chat.TryAsync(context, request!, candidate, GatewayFormat.OpenAI, deadline));
    }

    private static async Task ForwardMessagesAsync(HttpContext context, GatewayServices services, GatewayCall call)
    {
        var (request, error) = await GatewayRequest.ReadAsync(context, GatewayFormat.Anthropic, services, call);
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }

        if (AnthropicPassthrough.Missing(request!.Body, request.Resolved) is { } field)
        {
            await GatewayErrors.Write(GatewayFormat.Anthropic, 400, $"{field}: Field required").ExecuteAsync(context);
            return;
        }

        await DispatchAsync(context, request, GatewayFormat.Anthropic, services.Options, call, (candidate, deadline) =>
            AnthropicPassthrough.Serves(candidate.Provider.Kind) ? services.Anthropic.TryAsync(context, request, candidate, deadline) : services.Chat.TryAsync(context, request, candidate, GatewayFormat.Anthropic, deadline));
    }

    /// <summary>
    /// Tries the resolved model, then its fallbacks, until one answers. A model is given up (for the next) only on a
    /// failure before the first byte reached the caller: no answer, timeout, 429, 5xx, or an open circuit. All of it,
    /// retries and fallbacks together, must produce a first byte within the request timeout.
    /// </summary>
    private static async Task DispatchAsync(HttpContext context, GatewayRequest request, GatewayFormat format, GatewayOptions options, GatewayCall call, Func<ResolvedModel, CancellationToken, Task<IResult?>> attempt)
    {
        // A stopping server's drain time bounds the wait for a first byte too.
        var drain = context.RequestServices.GetRequiredService<GatewayDrain>().Ended;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain);
        deadline.CancelAfter(options.RequestTimeout);
        IResult? failure = null;
        foreach (var candidate in request.Chain)
        {
            call.Model = candidate;
            failure = await attempt(candidate, deadline.Token);
            if (failure is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (drain.IsCancellationRequested)
            {
                call.ErrorClass ??= "shutdown";
                failure = GatewayErrors.Write(
                    format,
                    503,
                    $"The gateway is shutting down: no model answered within its drain time of {options.DrainTimeout.TotalSeconds:F0} s. Send the request again.",
                    code: "shutting_down",
                    retryAfter: TimeSpan.FromSeconds(1));
                break;
            }

            if (deadline.IsCancellationRequested)
            {
                failure = GatewayErrors.Write(format, 504, $"No model answered within the gateway's request timeout of {options.RequestTimeout.TotalSeconds:F0} s.", code: "upstream_timeout");
                break;
            }
        }

        await (failure ?? GatewayErrors.Write(format, 502, "No model could serve the request.")).ExecuteAsync(context);
    }

    // The gateway's routes and their one method each: another method on them is a 405, not an unknown route.
    private static readonly Dictionary<string, string> RouteMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/v1/chat/completions"] = "POST",
        ["/v1/embeddings"] = "POST",
        ["/v1/messages"] = "POST",
        ["/v1/models"] = "GET",
    };

    private static IResult UnknownRoute(HttpContext context)
    {
        var request = context.Request;
        // Anthropic's SDKs always send anthropic-version; OpenAI's never do.
        var format = request.Headers.ContainsKey("anthropic-version") ? GatewayFormat.Anthropic : GatewayFormat.OpenAI;
        if (RouteMethods.TryGetValue(request.Path.Value?.TrimEnd('/') ?? "", out var method))
        {
            context.Response.Headers.Allow = method;
            return GatewayErrors.Write(format, 405, $"{request.Path} takes {method}, not {request.Method}.", code: "method_not_allowed");
        }

        return GatewayErrors.Write(format, 404,
            $"Modelgate has no route {request.Method} {request.Path}: it serves POST /v1/chat/completions, POST /v1/embeddings, POST /v1/messages and GET /v1/models.",
            code: "unknown_route");
    }

    private static IResult ListModels(HttpContext context, CurrentCatalog catalog, TimeProvider time)
    {
        var (key, error) = GatewayCaller.Authenticate(context, catalog, GatewayFormat.OpenAI, time);
        if (error is not null)
        {
            return error;
        }

        var state = catalog.State;
        var created = state.Snapshot.PublishedAt.ToUnixTimeSeconds();
        var purposes = state.Resolutions.Known.Where(k => k.Value.Model is not null && key!.Allows(k.Key, k.Value.Model.Model.ModelId))
            .Select(k => new { id = k.Key, @object = "model", created, owned_by = "modelgate" });
        var models = state.Snapshot.Models.Values
            .Where(m => m.IsActive && state.Snapshot.Providers.TryGetValue(m.ProviderId, out var p) && p.IsActive)
            .Where(m => key!.AllowedModels.Contains(m.ModelId) || (key.AllowedPurposes.Count == 0 && key.AllowedModels.Count == 0))
            .Select(m => new { id = m.ModelId, @object = "model", created, owned_by = state.Snapshot.Providers[m.ProviderId].Name })
            .DistinctBy(m => m.id);
        return TypedResults.Json(new { @object = "list", data = purposes.Concat(models).ToArray() });
    }
}
