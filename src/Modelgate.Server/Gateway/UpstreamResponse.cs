using System.Buffers;
using System.Text.Json;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Server.Gateway.Usage;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Sends a request to the provider and relays the answer: success streams through as it arrives; failures become
/// errors in the caller's format (429 keeps Retry-After, 5xx becomes 502, no answer 502/504), never the provider's
/// key or a stack trace.
/// </summary>
internal static partial class UpstreamResponse
{
    private static readonly string[] RelayedHeaders = ["Content-Type", "Cache-Control", "x-request-id", "openai-processing-ms", "request-id"];

    /// <summary>
    /// Sends to the provider under its request limit, retry and circuit breaker, until <paramref name="beforeFirstByte"/>
    /// (the request's overall deadline) at the latest. Returns the answer to relay: a success, or a failure the caller
    /// must see such as a 400. Throws for what the next model of the chain may take over: the pipeline's own refusals
    /// (<see cref="Core.Limits.LimitReachedException"/>, an open circuit), no answer, a timeout, or a status that is the
    /// provider's fault (<see cref="UpstreamFailedException"/>, with the error the caller gets if no model serves).
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpContext context, HttpMessageInvoker upstream, ProviderResilience resilience, ResolvedModel resolved, Func<HttpRequestMessage> build, GatewayFormat format, CancellationToken beforeFirstByte)
    {
        var response = await resilience.SendAsync(resolved, async token =>
        {
            using var message = build();
            return await upstream.SendAsync(message, token);
        }, beforeFirstByte);
        if (!ProviderResilience.IsProviderFault((int)response.StatusCode))
        {
            return response;
        }

        // Retries are spent, or the provider's configuration is wrong: the next model of the chain may serve.
        using (response)
        {
            throw new UpstreamFailedException((int)response.StatusCode, await FailureAsync(context, response, resolved, format, beforeFirstByte));
        }
    }

    /// <summary>
    /// Relays an answer: success streams through as it arrives; a client error becomes one in the caller's format.
    /// The call's token usage is read on the way (see <see cref="GatewayCall"/>); <paramref name="dropUsageChunk"/>
    /// leaves out the usage-only stream chunk the gateway asked for on the caller's behalf.
    /// </summary>
    public static async Task RelayAsync(HttpContext context, HttpResponseMessage response, ResolvedModel resolved, GatewayFormat format, GatewayOptions options, UsageRule usage, bool dropUsageChunk = false)
    {
        using (response)
        {
            GatewayErrors.ServedBy(context, resolved);
            if (!response.IsSuccessStatusCode)
            {
                await (await FailureAsync(context, response, resolved, format)).ExecuteAsync(context);
                return;
            }

            var streaming = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
            if (!streaming)
            {
                await RelayWholeAsync(context, response, resolved, format, options, usage);
                return;
            }

            CopyHeaders(context, response);
            await RelayStreamAsync(context, response, format, options, new StreamUsage(usage, dropUsageChunk));
        }
    }

    private static void CopyHeaders(HttpContext context, HttpResponseMessage response)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var name in RelayedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
    }

    // A whole answer is checked before anything is sent: bounded in size and valid JSON. Its usage is read in the
    // same pass; an answer without usage is relayed and its tokens counted with the tokenizer (marked estimated).
    private static async Task RelayWholeAsync(HttpContext context, HttpResponseMessage response, ResolvedModel resolved, GatewayFormat format, GatewayOptions options, UsageRule usage)
    {
        PooledBytes? read;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            // Headers came in time; the rest of the answer must too.
            deadline.CancelAfter(options.StreamIdleTimeout);
            try
            {
                read = await ReadBoundedAsync(response, options.MaxResponseBytes, deadline.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                await GatewayErrors.Write(format, 504, $"{GatewayErrors.Who(resolved)} did not finish its answer in time.", code: "upstream_timeout").ExecuteAsync(context);
                return;
            }
        }

        if (read is not { } body)
        {
            await GatewayErrors.Write(format, 502, $"{GatewayErrors.Who(resolved)} sent an answer over the limit of {options.MaxResponseBytes} bytes.", code: "upstream_invalid").ExecuteAsync(context);
            return;
        }

        using (body)
        {
            var reported = new ReportedUsage();
            try
            {
                UsageScanner.Scan(body.Memory.Span, ref reported, text: null);
            }
            catch (JsonException)
            {
                await GatewayErrors.Write(format, 502, $"{GatewayErrors.Who(resolved)} sent an answer that is not JSON.", code: "upstream_invalid").ExecuteAsync(context);
                return;
            }

            if (GatewayCall.Of(context) is { } call)
            {
                if (reported.Counts(usage) is { } counts)
                {
                    call.Tokens = counts;
                }
                else
                {
                    // Only a sample of the answer's text is kept for counting, never the answer itself.
                    var text = new Core.Usage.TextSample();
                    var ignored = new ReportedUsage();
                    UsageScanner.Scan(body.Memory.Span, ref ignored, text);
                    var prompt = call.Request?.Body;
                    call.CountLater(exactChars => new Core.Usage.TokenCounts(
                        prompt is null ? 0 : PromptTokens.Estimate(prompt, exactChars), usage == UsageRule.OpenAIEmbeddings ? 0 : text.CountTokens(exactChars), 0, Estimated: true));
                }
            }

            // A Responses API answer is kept before the caller has it, so a call continuing from it at once finds it.
            var history = context.RequestServices.GetRequiredService<ResponsesHistory>();
            if (usage == UsageRule.OpenAIResponses && GatewayCall.Of(context)?.Request is { } request && history.Keeps(request.Body))
            {
                await history.KeepAsync(context, ResponsesHistory.Parse(body.Memory.Span));
            }

            CopyHeaders(context, response);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Memory.Length;
            GatewayCall.Of(context)?.Complete();
            await context.Response.Body.WriteAsync(body.Memory, context.RequestAborted);
        }
    }

    // The provider's error body is read within 10 s and the call's own bound (the attempt's deadline inside the chain).
    private static async Task<IResult> FailureAsync(HttpContext context, HttpResponseMessage response, ResolvedModel resolved, GatewayFormat format, CancellationToken? bound = null)
    {
        var status = (int)response.StatusCode;
        string text;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(bound ?? context.RequestAborted))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                using var bytes = await ReadBoundedAsync(response, 64 * 1024, deadline.Token, truncate: true);
                text = bytes is { } read ? System.Text.Encoding.UTF8.GetString(read.Memory.Span) : "";
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
            {
                text = "";
            }
        }

        return GatewayErrors.ProviderFailed(format, resolved, status, text, response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes: null when there is more (or the first bytes, with <paramref name="truncate"/>).</summary>
    private static async Task<PooledBytes?> ReadBoundedAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken, bool truncate = false)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await PooledBytes.ReadAsync(stream, response.Content.Headers.ContentLength, limit, truncate, cancellationToken);
    }
}
