using System.Buffers;
using Modelgate.Server.Gateway.Usage;
using Modelgate.Core.Pipeline;

namespace Modelgate.Server.Gateway;

/// <summary>Relaying a provider's event stream: whole events only, read for usage on the way, bounded in time and size.</summary>
internal static partial class UpstreamResponse
{
    // Whole events go to the caller as they arrive (SSE needs it); a part event waits for the rest of it. A provider
    // that goes quiet, sends without end, or stops without its end marker ([DONE] / message_stop) gets a terminal error
    // event: after the first byte nothing can be retried or replayed, and a cut answer must not pass for a whole one. So
    // does a stream still running when a stopping server's drain time is over. A caller that leaves a write unread for
    // the client write timeout has its connection closed: what waits for it is never more than one event and Kestrel's
    // response buffer.
    private static async Task RelayStreamAsync(HttpContext context, HttpResponseMessage response, GatewayFormat format, GatewayOptions options, StreamUsage usage)
    {
        var call = GatewayCall.Of(context);
        if (call is not null)
        {
            call.Streamed = true;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var end = new StreamEndMarker(format);
        long total = 0;
        // Bytes at the start of the buffer that belong to an event not yet complete.
        var carry = 0;
        var drain = context.RequestServices.GetRequiredService<GatewayDrain>().Ended;
        var idle = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain);
        // Not linked to the caller's abort, so a write given up for slowness is told apart from a caller who left (Kestrel
        // aborts the connection itself when a write is cancelled). The client write timeout is the rule for a stream:
        // Kestrel's own minimum data rate (240 B/s after 5 s) would cut a reader of small events sooner.
        var slowReader = new CancellationTokenSource();
        if (context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinResponseDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        try
        {
            while (true)
            {
                if (carry == buffer.Length)
                {
                    // One event larger than the buffer (a big tool call): a larger buffer, bounded by the size cap below.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, carry).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                // Only the wait for the provider counts as idle, not the time the caller takes to read.
                idle.CancelAfter(options.StreamIdleTimeout);
                var read = await stream.ReadAsync(buffer.AsMemory(carry), idle.Token);
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (idle.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested && !drain.IsCancellationRequested)
                {
                    // The timer fired just as the read completed: data did arrive, so start a fresh idle timer.
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain);
                }

                if (read == 0)
                {
                    if (carry > 0 && carry + 2 <= buffer.Length && SseEvents.EndsWhole(buffer.AsSpan(0, carry)))
                    {
                        // The last event's lines are whole (a final "data: [DONE]" may even lack its newline) but its
                        // blank line never came: it is complete all the same, and gets its line ends. A last line cut
                        // short is dropped, as an SSE parser would.
                        if (buffer[carry - 1] != (byte)'\n')
                        {
                            buffer[carry++] = (byte)'\n';
                        }

                        buffer[carry++] = (byte)'\n';
                        end.Observe(buffer.AsSpan(0, carry));
                        var last = Skipped(buffer.AsSpan(0, carry), usage, call);
                        CompleteIfEnded(context, call, end, usage);
                        await KeepIfCompletedAsync(context, end, usage);
                        slowReader.CancelAfter(options.ClientWriteTimeout);
                        await WriteExceptAsync(context, buffer.AsMemory(0, carry), last, slowReader.Token);
                    }

                    if (!end.Seen)
                    {
                        await TerminalErrorAsync(context, format, usage, "The provider's stream ended before its end marker: the answer may be incomplete.", "stream_incomplete");
                    }

                    return;
                }

                total += read;
                if (total > options.MaxResponseBytes)
                {
                    await TerminalErrorAsync(context, format, usage, $"The provider's stream passed the limit of {options.MaxResponseBytes} bytes.", "stream_too_large");
                    return;
                }

                var filled = carry + read;
                var complete = SseEvents.LastEnd(buffer.AsSpan(0, filled));
                if (complete > 0)
                {
                    end.Observe(buffer.AsSpan(0, complete));
                    var skip = Skipped(buffer.AsSpan(0, complete), usage, call);
                    call?.FirstByte();
                    CompleteIfEnded(context, call, end, usage);
                    await KeepIfCompletedAsync(context, end, usage);
                    slowReader.CancelAfter(options.ClientWriteTimeout);
                    await WriteExceptAsync(context, buffer.AsMemory(0, complete), skip, slowReader.Token);
                    await context.Response.Body.FlushAsync(slowReader.Token);
                    if (!slowReader.TryReset())
                    {
                        // The timer fired just as the write completed: the caller did read, so a fresh timer.
                        slowReader.Dispose();
                        slowReader = new CancellationTokenSource();
                    }

                    if (end.Seen)
                    {
                        // The answer is whole: whatever the provider does after its end marker (more bytes, a reset)
                        // is not the caller's concern; disposing the response closes its stream.
                        return;
                    }

                    buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                }

                carry = filled - complete;
            }
        }
        catch (OperationCanceledException) when (slowReader.IsCancellationRequested)
        {
            // The caller stopped reading: its connection goes, and with it everything held for it.
            if (call is not null)
            {
                call.ErrorClass ??= "client_slow";
            }

            context.Abort();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left: disposing the response closes the upstream request.
            if (call is not null)
            {
                call.ErrorClass ??= "client_closed";
            }
        }
        catch (OperationCanceledException) when (end.Seen)
        {
            // The answer was whole (the end marker went out): nothing is added after it, whatever stopped the wait.
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            // Recorded before its last event goes out: the stopping host must find the record already handed over.
            if (call is { IsCompleted: false })
            {
                call.ErrorClass ??= "shutdown";
                Count(call, usage, complete: false);
                call.Complete();
            }

            await TerminalErrorAsync(context, format, usage, $"The gateway is shutting down: the answer was cut after its drain time of {options.DrainTimeout.TotalSeconds:F0} s.", "shutdown");
        }
        catch (OperationCanceledException)
        {
            await TerminalErrorAsync(context, format, usage, $"The provider sent nothing for {options.StreamIdleTimeout.TotalSeconds:F0} s.", "stream_idle");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            await TerminalErrorAsync(context, format, usage, "The provider's stream broke off.", "stream_broken");
        }
        finally
        {
            idle.Dispose();
            slowReader.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            if (call is { IsCompleted: false })
            {
                Count(call, usage, complete: end.Seen && call.ErrorClass is null);
            }
        }
    }

    // The end marker is in the events about to be written: the call is recorded before the caller has them.
    // A Responses stream may end with the provider's own failure event (relayed as is): a failed call, logged once.
    private static void CompleteIfEnded(HttpContext context, GatewayCall? call, StreamEndMarker end, StreamUsage usage)
    {
        if (call is { IsCompleted: false } && end.Seen)
        {
            if (end.Failed && call.ErrorClass is null && call.Model is { } model)
            {
                call.ErrorClass = "upstream_error";
                PipelineLog.StreamCut(context.PipelineLogger(), model.Provider.Name, model.Model.ModelId, "The provider ended its stream with a failure event.");
            }

            Count(call, usage, complete: !end.Failed);
            call.Complete();
        }
    }

    // A Responses API stream's whole response is kept before its completed event reaches the caller, so a call
    // continuing from it at once finds it (ResponsesHistory).
    private static async Task KeepIfCompletedAsync(HttpContext context, StreamEndMarker end, StreamUsage usage)
    {
        var history = context.RequestServices.GetRequiredService<ResponsesHistory>();
        if (end.Seen && usage.CompletedResponse is { } data && GatewayCall.Of(context)?.Request is { } request && history.Keeps(request.Body))
        {
            await history.KeepAsync(context, (ResponsesHistory.Parse(data) as System.Text.Json.Nodes.JsonObject)?["response"]);
        }
    }

    private static void Count(GatewayCall call, StreamUsage usage, bool complete)
    {
        if (usage.Reported(complete) is { } reported)
        {
            call.Tokens = reported;
            return;
        }

        var request = call.Request?.Body;
        call.CountLater(exactChars => usage.Tokens(complete, request, exactChars));
    }

    // The events of a run of whole events to leave out, as (start, length); usually none. Nothing after the end
    // marker is read for usage: the call is recorded by then, maybe on the counting thread.
    private static List<(int Start, int Length)>? Skipped(ReadOnlySpan<byte> events, StreamUsage usage, GatewayCall? call)
    {
        if (call is { IsCompleted: true })
        {
            return null;
        }

        List<(int, int)>? skip = null;
        var start = 0;
        while (start < events.Length)
        {
            var next = SseEvents.NextEnd(events, start);
            if (next < 0)
            {
                next = events.Length;
            }

            if (usage.Observe(events[start..next]))
            {
                (skip ??= []).Add((start, next - start));
            }

            start = next;
        }

        return skip;
    }

    private static async Task WriteExceptAsync(HttpContext context, ReadOnlyMemory<byte> events, List<(int Start, int Length)>? skip, CancellationToken cancellationToken)
    {
        if (skip is null)
        {
            await context.Response.Body.WriteAsync(events, cancellationToken);
            return;
        }

        var at = 0;
        foreach (var (start, length) in skip)
        {
            if (start > at)
            {
                await context.Response.Body.WriteAsync(events[at..start], cancellationToken);
            }

            at = start + length;
        }

        if (at < events.Length)
        {
            await context.Response.Body.WriteAsync(events[at..], cancellationToken);
        }
    }

    private static readonly TimeSpan TerminalWriteTimeout = TimeSpan.FromSeconds(5);

    // Only whole events have been relayed, so the error event starts on an event boundary and the caller's parser reads it whole.
    private static async Task TerminalErrorAsync(HttpContext context, GatewayFormat format, StreamUsage usage, string message, string errorClass)
    {
        if (GatewayCall.Of(context) is { } call)
        {
            call.ErrorClass ??= errorClass;
            if (errorClass != "shutdown" && !context.RequestAborted.IsCancellationRequested && call.Model is { } model)
            {
                PipelineLog.StreamCut(context.PipelineLogger(), model.Provider.Name, model.Model.ModelId, message);
            }
        }

        var text = StreamErrorEvent.For(format, message, usage.LastSequence + 1);
        // Bounded too: a caller who no longer reads must not keep a stopping server waiting for its last event.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        bounded.CancelAfter(TerminalWriteTimeout);
        try
        {
            await context.Response.WriteAsync(text, bounded.Token);
            await context.Response.Body.FlushAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            context.Abort();
        }
    }
}
