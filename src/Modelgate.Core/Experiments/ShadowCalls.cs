using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Experiments;

/// <summary>
/// Shadow copies of experiment calls: the same messages and options sent to a shadow variant's model in the background,
/// after the caller's own call, always without streaming; the answer is recorded (tokens, cost, latency, errors, under the
/// shadow variant) and thrown away, never returned. A copy is bounded by the pipeline's request timeout, counts against
/// no key (the caller did not ask for it), and is dropped, counted and logged when too many are in flight, so shadows
/// never hold up the calls they copy. They do go through the model's guarded client (its provider's limits, retries and
/// circuit breaker), so a shadow model that also serves callers shares those with them. Both entrances use this one type.
/// </summary>
public sealed partial class ShadowCalls : IDisposable
{
    /// <summary>Copies in flight at once per process; beyond, new copies are dropped.</summary>
    public const int MaxInFlight = 64;

    /// <summary>The meter of experiments' counters.</summary>
    public const string MeterName = "Modelgate.Experiments";

    private readonly Counter<long> _dropped;
    private readonly ModelClients _models;
    private readonly IUsageRecorder _usage;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly CancellationTokenSource _stopping = new();
    private int _droppedLogged;

    public ShadowCalls(ModelClients models, IUsageRecorder usage, TimeProvider time, ILoggerFactory loggers, IMeterFactory? meters = null)
    {
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _dropped = meter.CreateCounter<long>("modelgate_experiment_shadow_dropped", description: "Shadow copies not sent because too many were in flight.");
        _models = models;
        _usage = usage;
        _time = time;
        _logger = loggers.CreateLogger("Modelgate.Experiments");
    }

    /// <summary>Copies in flight now.</summary>
    public int InFlight => MaxInFlight - _slots.CurrentCount;

    /// <summary>
    /// Starts a copy of the call for each of <paramref name="shadows"/> and returns at once. <paramref name="messages"/>
    /// and <paramref name="options"/> must not change afterwards (the caller's own call is over, or uses its own copy).
    /// </summary>
    public void Send(IReadOnlyList<ResolvedModel> shadows, IEnumerable<ChatMessage> messages, ChatOptions? options, UsageSource source)
    {
        // Copied now, on the caller's thread: the application may add the answer to its list as soon as its call returns.
        List<ChatMessage>? copied = null;
        var cloned = options?.Clone();
        foreach (var shadow in shadows)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (!_slots.Wait(0))
            {
                _dropped.Add(1);
                if (Interlocked.Exchange(ref _droppedLogged, 1) == 0)
                {
                    DroppedCopies(_logger, shadow.Arm?.ToString() ?? shadow.Model.ModelId, MaxInFlight);
                }

                continue;
            }

            copied ??= [.. messages];
            _ = Task.Run(() => CopyAsync(shadow, copied, cloned, source));
        }
    }

    private async Task CopyAsync(ResolvedModel shadow, List<ChatMessage> messages, ChatOptions? options, UsageSource source)
    {
        // No session on a copy's record: feedback naming the session is about the answer its user saw, never a copy's.
        var call = new ClientCall(shadow, UsageOperations.Chat, _time) { Source = source };
        try
        {
            using var deadline = new CancellationTokenSource(_models.Options.RequestTimeout);
            using var stopping = _stopping.Token.Register(deadline.Cancel);
            var response = await _models.ChatClient(shadow).GetResponseAsync(messages, options?.Clone(), deadline.Token);
            _usage.Record(call.Finish(messages.Select(m => m.Text), response.Usage, response.Text, null, streamed: false));
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Cut short by the process stopping: no result of the variant's, and nothing recorded.
        }
        catch (Exception e)
        {
            // A copy's failure is the variant's result, recorded like any call's; it never reaches the caller.
            ShadowFailed(_logger, shadow.Arm?.ToString() ?? "", shadow.Provider.Name, shadow.Model.ModelId, PipelineLog.Describe(e));
            _usage.Record(call.Finish(messages.Select(m => m.Text), null, null, e, streamed: false));
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Cuts the copies in flight short (the process is stopping); later copies are not sent.</summary>
    public void Dispose()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Shadow copies are being dropped: {InFlight} are in flight already (first dropped: {Variant}). Logged once.")]
    private static partial void DroppedCopies(ILogger logger, string variant, int inFlight);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Shadow copy {Variant} to provider {Provider}, model {Model} failed: {Failure}.")]
    private static partial void ShadowFailed(ILogger logger, string variant, string provider, string model, string failure);
}
