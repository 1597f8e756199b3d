using Microsoft.Extensions.AI;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Limits;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// An <see cref="IChatClient"/> for a purpose that resolves on every call, so it is safe to hold for the
/// application's lifetime: an administrator's change applies to the next call. The purpose decides the model;
/// a <see cref="ChatOptions.ModelId"/> set by the caller is replaced by the configured one. Each call runs the same
/// pipeline as a gateway call: the purpose's fallback chain (<see cref="FallbackChain"/>) under the call's deadline,
/// each model under the provider's limits, retries, its circuit breaker and the first-byte timeout
/// (<see cref="ModelClients"/>) and the configured limits (<see cref="CallLimits"/>), and with a
/// <see cref="IUsageRecorder"/> every call (success or failure) is recorded with its tokens and cost.
/// </summary>
public sealed class PurposeChatClient(string target, ModelResolver resolver, ModelClients models, IUsageRecorder? usage = null, TimeProvider? time = null, KeyScope? key = null, ShadowCalls? shadows = null) : IChatClient
{
    /// <summary>A client for a purpose.</summary>
    public PurposeChatClient(Purpose purpose, ModelResolver resolver, ModelClients models, IUsageRecorder? usage = null, TimeProvider? time = null, KeyScope? key = null, ShadowCalls? shadows = null)
        : this(purpose.Name, resolver, models, usage, time, key, shadows)
    {
    }

    /// <summary>What the client calls: a purpose (<c>chat</c>, <c>agents/researcher</c>) or an alias (<c>smart</c>).</summary>
    public string Target { get; } = target;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var session = ExperimentSession.Of(options);
        options = ExperimentSession.Without(options);
        var clock = time ?? TimeProvider.System;
        var (keyed, routing) = KeyScope.Route(key, resolver, Target, session, clock.GetUtcNow());
        var chain = routing.Chain;
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var call = new ClientCall(chain[0], UsageOperations.Chat, clock) { KeyId = keyed?.Id, Session = session };
        var limits = Limits(keyed, list, options);
        ChatResponse response;
        try
        {
            (response, _) = await FallbackChain.RunAsync(chain, models.Options, (model, token) => models.ChatClient(model).GetResponseAsync(list, options, token), model => call.Model = model, models.Logger, limits, cancellationToken);
        }
        catch (Exception e)
        {
            Finish(call, limits, list, null, null, e, streamed: false, cancellationToken);
            if (ModelgateProviderException.ShouldWrap(e))
            {
                throw PipelineStatus.Wrap(call.Model, e);
            }

            throw;
        }

        Finish(call, limits, list, response.Usage, response.Text, null, streamed: false, cancellationToken);
        Copy(routing, list, options);
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var session = ExperimentSession.Of(options);
        options = ExperimentSession.Without(options);
        var clock = time ?? TimeProvider.System;
        var (keyed, routing) = KeyScope.Route(key, resolver, Target, session, clock.GetUtcNow());
        var chain = routing.Chain;
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var call = new ClientCall(chain[0], UsageOperations.Chat, clock) { KeyId = keyed?.Id, Session = session };
        var limits = Limits(keyed, list, options);
        OpenedStream stream;
        try
        {
            // Until the first update a failure may still go to the next model; the deadline bounds only that wait.
            (stream, _) = await FallbackChain.RunAsync(chain, models.Options,
                (model, token) => OpenedStream.OpenAsync(models.ChatClient(model), list, options, cancellationToken, token).AsTask(), model => call.Model = model, models.Logger, limits,
                cancellationToken);
        }
        catch (Exception e)
        {
            Finish(call, limits, list, null, null, e, streamed: true, cancellationToken);
            if (ModelgateProviderException.ShouldWrap(e))
            {
                throw PipelineStatus.Wrap(call.Model, e);
            }

            throw;
        }

        // Neither an end nor a failure when the finally runs: the caller stopped reading.
        Exception? failure = null;
        var ended = false;
        await using (stream)
        {
            try
            {
                if (stream.First is not { } first)
                {
                    ended = true;
                    yield break;
                }

                call.Observe(first);
                var finished = first.FinishReason is not null;
                yield return first;
                while (true)
                {
                    try
                    {
                        // As the gateway does: once the answer has started, the provider may stay silent only so long.
                        stream.Life.CancelAfter(models.Options.StreamIdleTimeout);
                        bool more;
                        try
                        {
                            more = await stream.MoveNextAsync();
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && stream.Life.IsCancellationRequested)
                        {
                            throw new StreamCutException($"The provider sent nothing for {models.Options.StreamIdleTimeout.TotalSeconds:0.#} s.");
                        }
                        finally
                        {
                            // Only the wait for the provider counts as idle, not the time the caller takes to read.
                            stream.Life.CancelAfter(Timeout.InfiniteTimeSpan);
                        }

                        if (!more)
                        {
                            // As the gateway does: a stream that stops without a finish reason was cut, and must not
                            // pass for a whole answer.
                            if (!finished)
                            {
                                throw new StreamCutException("The provider's stream ended without finishing its answer: it may be incomplete.");
                            }

                            ended = true;
                            Copy(routing, list, options);
                            yield break;
                        }
                    }
                    catch (Exception e)
                    {
                        failure = e;
                        if (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
                        {
                            PipelineLog.StreamCut(models.Logger, call.Model.Provider.Name, call.Model.Model.ModelId, e is StreamCutException ? e.Message : $"{e.GetType().Name} after the first update.");
                        }

                        if (ModelgateProviderException.ShouldWrap(e))
                        {
                            throw PipelineStatus.Wrap(call.Model, e);
                        }

                        throw;
                    }

                    call.Observe(stream.Current);
                    finished |= stream.Current.FinishReason is not null;
                    yield return stream.Current;
                }
            }
            finally
            {
                // Recorded once the stream is over: read to the end, broken off by the provider, or left by the caller.
                var callerLeft = !ended && failure is null;
                Finish(call, limits, list, null, null, callerLeft ? new OperationCanceledException("The caller stopped reading the stream.") : failure, streamed: true, cancellationToken, callerLeft);
            }
        }
    }

    /// <summary>Offers <see cref="ChatClientMetadata"/> of what the purpose resolves to now, and this client itself.</summary>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is null && serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceType == typeof(ResolvedModel))
        {
            return resolver.ResolveRequested(Target);
        }

        return models.Unguarded(resolver.ResolveRequested(Target)).GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        // Holds nothing of its own: the SDK clients belong to the shared cache.
    }

    // A live experiment's shadow variants get a copy of the call once it has been answered.
    private void Copy(Routing routing, IList<ChatMessage> messages, ChatOptions? options)
    {
        if (routing.Shadows.Count > 0)
        {
            shadows?.Send(routing.Shadows, messages, options, UsageSource.Client);
        }
    }

    // The call's limits: its prompt is counted only if a token limit or a budget needs it (bounded, as for usage).
    private CallLimits Limits(VirtualKey? keyed, IList<ChatMessage> messages, ChatOptions? options) =>
        models.Limiter.Start(keyed, () => TokenEstimator.CountMessages(messages.Select(m => m.Text), TokenEstimator.ExactChars / 4), options?.MaxOutputTokens);

    // Records the call (when usage is recorded) and settles its limits with what it used.
    private void Finish(ClientCall call, CallLimits limits, IList<ChatMessage> messages, UsageDetails? used, string? text, Exception? error, bool streamed, CancellationToken cancellationToken, bool callerLeft = false)
    {
        if (usage is null && !limits.Holds)
        {
            limits.End();
            return;
        }

        // The caller's own token decides whether the caller gave up, whatever exception the SDK made of it.
        var record = call.Finish(messages.Select(m => m.Text), used, text, error, streamed, callerLeft || (error is not null && cancellationToken.IsCancellationRequested));
        usage?.Record(record);
        limits.Settle(record.Tokens.Total, record.Cost);
    }

    // A stream the provider left incomplete: ended without a finish reason, or silent past the idle timeout.
    private sealed class StreamCutException(string message) : IOException(message);
}
