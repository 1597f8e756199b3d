using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Modelgate.Core.Pipeline;

namespace Modelgate.Server.Gateway.Translation;

/// <summary>
/// A streaming call to a provider's chat client with the gateway's bounds: until its first update it is bound by the
/// attempt's first-byte timeout; after that it lives as long as the caller stays, each update must come within the
/// idle timeout, the answer may not pass the size limit, and the stream must carry a finish reason before it ends.
/// A broken bound ends the stream with
/// <see cref="UpstreamStreamException"/>, which the writers turn into the format's terminal error event.
/// </summary>
internal sealed class TranslatedStream : IAsyncDisposable
{
    private readonly OpenedStream _stream;
    private readonly CancellationTokenSource _life;
    private readonly CancellationToken _callerGone;

    private TranslatedStream(OpenedStream stream, CancellationToken callerGone)
    {
        _stream = stream;
        _life = stream.Life;
        _callerGone = callerGone;
    }

    /// <summary>The first update (null if the provider answered with an empty stream).</summary>
    public ChatResponseUpdate? First => _stream.First;

    /// <summary>Starts the call and waits for its first update; <paramref name="firstByte"/> bounds only that wait.</summary>
    public static async ValueTask<TranslatedStream> OpenAsync(IChatClient client, IList<ChatMessage> messages, ChatOptions options, CancellationToken callerGone, CancellationToken firstByte) =>
        new(await OpenedStream.OpenAsync(client, messages, options, callerGone, firstByte), callerGone);

    /// <summary>
    /// Every update, the first included, under the idle timeout and the size limit, until a stopping server's drain
    /// time is over (<paramref name="drain"/>).
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> ReadAllAsync(GatewayOptions options, GatewayDrain? drain = null)
    {
        var drainEnded = drain?.Ended ?? CancellationToken.None;
        if (First is null)
        {
            yield break;
        }

        using var draining = drainEnded.Register(static state => ((CancellationTokenSource)state!).Cancel(), _life);

        var total = SizeOf(First);
        var finished = First.FinishReason is not null;
        yield return First;
        while (true)
        {
            bool more;
            var cutAfterFinish = false;
            _life.CancelAfter(options.StreamIdleTimeout);
            try
            {
                more = await _stream.MoveNextAsync();
            }
            catch (OperationCanceledException) when (!_callerGone.IsCancellationRequested && drainEnded.IsCancellationRequested && finished)
            {
                // After the finish reason only usage may still come: the answer itself is whole.
                cutAfterFinish = true;
                more = false;
            }
            catch (OperationCanceledException) when (!_callerGone.IsCancellationRequested && drainEnded.IsCancellationRequested)
            {
                throw new UpstreamStreamException(
                    $"{UpstreamStreamException.ShuttingDown}: the answer was cut after its drain time of {options.DrainTimeout.TotalSeconds:F0} s.");
            }
            catch (OperationCanceledException) when (!_callerGone.IsCancellationRequested)
            {
                throw new UpstreamStreamException($"The provider sent nothing for {options.StreamIdleTimeout.TotalSeconds:F0} s.");
            }
            finally
            {
                // Only the wait for the provider counts as idle, not the time the caller takes to read.
                _life.CancelAfter(Timeout.InfiniteTimeSpan);
            }

            if (cutAfterFinish)
            {
                yield break;
            }

            if (!more)
            {
                // A stream that stops without a finish reason was cut: it must not pass for a whole answer.
                if (!finished)
                {
                    throw new UpstreamStreamException("The provider's stream ended without finishing its answer: it may be incomplete.");
                }

                yield break;
            }

            finished |= _stream.Current.FinishReason is not null;
            total += SizeOf(_stream.Current);
            if (total > options.MaxResponseBytes)
            {
                throw new UpstreamStreamException($"The provider's stream passed the limit of {options.MaxResponseBytes} bytes.");
            }

            yield return _stream.Current;
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    // What the update will cost to relay: its text, and tool calls with their arguments.
    private static long SizeOf(ChatResponseUpdate update)
    {
        long size = 0;
        foreach (var content in update.Contents)
        {
            size += content switch
            {
                TextContent text => Encoding.UTF8.GetByteCount(text.Text),
                TextReasoningContent reasoning => Encoding.UTF8.GetByteCount(reasoning.Text),
                FunctionCallContent call => call.Name.Length + (call.Arguments is null ? 0 : JsonSerializer.SerializeToUtf8Bytes(call.Arguments).Length),
                _ => 0,
            };
        }

        return size;
    }
}

/// <summary>A provider's stream broke a gateway bound after the first byte; the message is safe to show the caller.</summary>
internal sealed class UpstreamStreamException(string message) : Exception(message)
{
    /// <summary>
    /// What the caller's terminal error event says about a failure after the first byte; a provider's failure (not
    /// the server's drain) is logged once (<see cref="PipelineLog.StreamCut"/>).
    /// </summary>
    public static string MessageFor(HttpContext context, Exception error)
    {
        var message = error is UpstreamStreamException ? error.Message : $"The provider failed mid-stream: {error.GetType().Name}.";
        if (!message.StartsWith(ShuttingDown, StringComparison.Ordinal) && Usage.GatewayCall.Of(context)?.Model is { } model)
        {
            PipelineLog.StreamCut(context.PipelineLogger(), model.Provider.Name, model.Model.ModelId, message);
        }

        return message;
    }

    /// <summary>How the message of a stream ended by the server's drain starts.</summary>
    public const string ShuttingDown = "The gateway is shutting down";
}
