using System.Buffers;
using System.Text.Json;
using Modelgate.Core.Resolution;

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
    /// (the request's overall deadline) at the latest. Returns the answer to relay (a success, or a failure the caller
    /// must see such as a 400), or the error to report if no fallback serves the request.
    /// </summary>
    public static async Task<(HttpResponseMessage? Response, IResult? Failure)> SendAsync(
        HttpContext context, HttpMessageInvoker upstream, ProviderResilience resilience, ResolvedModel resolved, Func<HttpRequestMessage> build, GatewayFormat format, CancellationToken beforeFirstByte)
    {
        HttpResponseMessage response;
        try
        {
            response = await resilience.SendAsync(resolved, async token =>
            {
                using var message = build();
                return await upstream.SendAsync(message, token);
            }, beforeFirstByte);
        }
        catch (RequestLimitReachedException e)
        {
            return (null, GatewayErrors.AtRequestLimit(format, resolved, e.Wait));
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            return (null, GatewayErrors.CircuitOpen(format, resolved));
        }
        catch (HttpRequestException)
        {
            return (null, GatewayErrors.Unreachable(format, resolved));
        }
        catch (Exception e) when (e is Polly.Timeout.TimeoutRejectedException || (e is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            return (null, GatewayErrors.TimedOut(format, resolved));
        }

        // Retries are spent, or the provider's configuration is wrong: the next model of the chain may serve.
        if (ProviderResilience.IsProviderFault((int)response.StatusCode))
        {
            using (response)
            {
                return (null, await FailureAsync(context, response, resolved, format));
            }
        }

        return (response, null);
    }

    /// <summary>Relays an answer: success streams through as it arrives; a client error becomes one in the caller's format.</summary>
    public static async Task RelayAsync(HttpContext context, HttpResponseMessage response, ResolvedModel resolved, GatewayFormat format, GatewayOptions options, UsageRule usage)
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
            await RelayStreamAsync(context, response, resolved, format, options);
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

    // A whole answer is checked before anything is sent: bounded in size, valid JSON, usage present and not negative.
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
            try
            {
                using var document = JsonDocument.Parse(body.Memory);
                if (!HasUsage(document.RootElement, usage))
                {
                    await GatewayErrors.Write(format, 502, $"{GatewayErrors.Who(resolved)} sent an answer without valid token usage.", code: "upstream_invalid").ExecuteAsync(context);
                    return;
                }
            }
            catch (JsonException)
            {
                await GatewayErrors.Write(format, 502, $"{GatewayErrors.Who(resolved)} sent an answer that is not JSON.", code: "upstream_invalid").ExecuteAsync(context);
                return;
            }

            CopyHeaders(context, response);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Memory.Length;
            await context.Response.Body.WriteAsync(body.Memory, context.RequestAborted);
        }
    }

    // Each chunk goes to the caller as it arrives (SSE needs it). A provider that goes quiet, sends without end, or
    // stops without its end marker ([DONE] / message_stop) gets a terminal error event: after the first byte nothing
    // can be retried or replayed, and a cut answer must not pass for a whole one.
    private static async Task RelayStreamAsync(HttpContext context, HttpResponseMessage response, ResolvedModel resolved, GatewayFormat format, GatewayOptions options)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var end = new StreamEndMarker(format);
        long total = 0;
        // Whether the bytes relayed so far stop inside an event (not right after the blank line that ends one).
        var lineOpen = false;
        byte last = (byte)'\n';
        var idle = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        try
        {
            while (true)
            {
                // Only the wait for the provider counts as idle, not the time the caller takes to read.
                idle.CancelAfter(options.StreamIdleTimeout);
                var read = await stream.ReadAsync(buffer, idle.Token);
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (idle.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
                {
                    // The timer fired just as the read completed: data did arrive, so start a fresh idle timer.
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                }

                if (read == 0)
                {
                    if (!end.Seen)
                    {
                        await TerminalErrorAsync(context, format, "The provider's stream ended before its end marker: the answer may be incomplete.", lineOpen);
                    }

                    return;
                }

                total += read;
                if (total > options.MaxResponseBytes)
                {
                    await TerminalErrorAsync(context, format, $"The provider's stream passed the limit of {options.MaxResponseBytes} bytes.", lineOpen);
                    return;
                }

                end.Observe(buffer.AsSpan(0, read));
                var beforeLast = read > 1 ? buffer[read - 2] : last;
                last = buffer[read - 1];
                lineOpen = !(last == (byte)'\n' && beforeLast == (byte)'\n');
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left: disposing the response closes the upstream request.
        }
        catch (OperationCanceledException)
        {
            await TerminalErrorAsync(context, format, $"The provider sent nothing for {options.StreamIdleTimeout.TotalSeconds:F0} s.", lineOpen);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            await TerminalErrorAsync(context, format, "The provider's stream broke off.", lineOpen);
        }
        finally
        {
            idle.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // After a cut inside an event, the error event starts on a fresh event boundary so the caller's parser reads it whole.
    private static async Task TerminalErrorAsync(HttpContext context, GatewayFormat format, string message, bool lineOpen)
    {
        var text = (lineOpen ? "\n\n" : "") + (format == GatewayFormat.Anthropic
            ? $"event: error\ndata: {JsonSerializer.Serialize(new { type = "error", error = new { type = "api_error", message } })}\n\n"
            : $"data: {JsonSerializer.Serialize(new { error = new { message, type = "api_error", param = (string?)null, code = "upstream_error" } })}\n\n");
        await context.Response.WriteAsync(text, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static bool HasUsage(JsonElement root, UsageRule rule)
    {
        static bool Count(JsonElement usage, string name) => usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt64() >= 0;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        return rule switch
        {
            UsageRule.OpenAIChat => Count(usage, "prompt_tokens") && Count(usage, "completion_tokens"),
            UsageRule.OpenAIEmbeddings => Count(usage, "prompt_tokens"),
            _ => Count(usage, "input_tokens") && Count(usage, "output_tokens"),
        };
    }

    private static async Task<IResult> FailureAsync(HttpContext context, HttpResponseMessage response, ResolvedModel resolved, GatewayFormat format)
    {
        var status = (int)response.StatusCode;
        string text;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
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

        return GatewayErrors.ProviderFailed(format, resolved, status, Redact(MessageOf(text), resolved), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes: null when there is more (or the first bytes, with <paramref name="truncate"/>).</summary>
    private static async Task<PooledBytes?> ReadBoundedAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken, bool truncate = false)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await PooledBytes.ReadAsync(stream, response.Content.Headers.ContentLength, limit, truncate, cancellationToken);
    }

    // The provider's own message, from either wire format; an HTML page or garbage yields null.
    private static string? MessageOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message)
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Providers echo credentials in error messages; none reaches the caller.
    private static string? Redact(string? message, ResolvedModel resolved)
    {
        if (message is null)
        {
            return null;
        }

        if (resolved.ApiKey is { Length: > 0 } key)
        {
            message = message.Replace(key, "[redacted]", StringComparison.Ordinal);
        }

        return Truncate(KeyLike().Replace(message, "[redacted]"));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(sk|mg|key)-[A-Za-z0-9_\-]{12,}")]
    private static partial System.Text.RegularExpressions.Regex KeyLike();

    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] + "..." : text;
}
