using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Catalog;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Limits;

/// <summary>
/// The limits step of the pipeline, the same for both entrances: each call gets a <see cref="CallLimits"/> that takes
/// from the counters (<see cref="ILimitCounters"/>: this process's, or the fleet's on Redis) before each model is
/// asked and settles what the call used when it is over. Refusals and shadow limits gone over are logged once each and
/// counted in the <c>Modelgate.Limits</c> meter; the log category is the pipeline's (<see cref="PipelineLog.Category"/>).
/// </summary>
public sealed partial class Limiter
{
    /// <summary>The meter of limit decisions.</summary>
    public const string MeterName = "Modelgate.Limits";

    /// <summary>Output tokens reserved for a call that names no max tokens, for a model without a default.</summary>
    public const int UnknownOutputReservation = 4_096;

    private readonly ILogger _logger;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _overInShadow;

    public Limiter(ILimitCounters counters, TimeProvider time, IKeySpend? spend = null, ILogger? logger = null, IMeterFactory? meters = null)
    {
        Counters = counters;
        Time = time;
        Spend = spend;
        _logger = logger ?? NullLogger.Instance;
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _refused = meter.CreateCounter<long>("modelgate.limits.refused", description: "Calls a configured limit refused.");
        _overInShadow = meter.CreateCounter<long>("modelgate.limits.shadow_exceeded", description: "Calls that went over a limit in shadow mode (admitted).");
    }

    public ILimitCounters Counters { get; }

    internal TimeProvider Time { get; }

    internal IKeySpend? Spend { get; }

    /// <summary>
    /// The limits of one call by <paramref name="key"/> (null: no key, only providers' and models' limits).
    /// <paramref name="promptTokens"/> counts the prompt, only if a token limit or a budget needs it;
    /// <paramref name="maxOutputTokens"/> is what the request allows the answer (null: the model's default, else
    /// <see cref="UnknownOutputReservation"/>); an embeddings call has no answer tokens.
    /// </summary>
    public CallLimits Start(VirtualKey? key, Func<long> promptTokens, long? maxOutputTokens, bool answers = true) =>
        new(this, key, promptTokens, maxOutputTokens, answers);

    /// <summary>
    /// A retry of an attempt at <paramref name="model"/> is one request more to its provider: it takes from the provider's
    /// and the model's requests per minute, or throws <see cref="LimitReachedException"/> (the retries stop there).
    /// </summary>
    public async ValueTask RetryAsync(ResolvedModel model, CancellationToken cancellationToken)
    {
        var takes = CallLimits.RequestTakes(model);
        if (takes.Count == 0)
        {
            return;
        }

        var verdict = await Counters.TakeAsync(takes, "retry", cancellationToken);
        if (verdict.Refused is { } refused)
        {
            var refusal = new LimitReachedException(refused, verdict.Used, 1, verdict.RetryAfter);
            Refused(refusal, model.Model.ModelId);
            throw refusal;
        }
    }

    internal void Refused(LimitReachedException refusal, string model)
    {
        var bucket = refusal.Bucket;
        _refused.Add(1, new("scope", Name(bucket.Scope)), new("limit", LimitNames.Of(bucket.Kind)));
        if (bucket.AnotherModelMayServe)
        {
            LogCapacity(_logger, bucket.Owner, bucket.Description, refusal.Used, refusal.Amount, model);
        }
        else
        {
            LogCaller(_logger, bucket.Owner, bucket.Description, refusal.Used, refusal.Amount, model);
        }
    }

    internal void OverInShadow(LimitBucket bucket)
    {
        _overInShadow.Add(1, new("scope", Name(bucket.Scope)), new("limit", LimitNames.Of(bucket.Kind)));
        LogShadow(_logger, bucket.Owner, bucket.Description);
    }

    internal void SettlementFailed(Exception error) => LogSettlementFailed(_logger, error.GetType().Name);

    private static string Name(LimitScope scope) => scope.ToString().ToLowerInvariant();

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Limit reached: {Owner} is at its limit of {Limit} ({Used} used, the call needed {Amount}): a call for model {Model} was not sent.")]
    private static partial void LogCapacity(ILogger logger, string owner, string limit, long used, long amount, string model);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Limit reached: {Owner} is at its limit of {Limit} ({Used} used, the call needed {Amount}): a call for model {Model} was refused.")]
    private static partial void LogCaller(ILogger logger, string owner, string limit, long used, long amount, string model);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "A call's limits could not be settled ({Error}): what it reserved stays counted until its window or lease ends.")]
    private static partial void LogSettlementFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "Shadow limit exceeded: {Owner} went over its {Limit}, which is in shadow mode (counted, not enforced); the call was admitted.")]
    private static partial void LogShadow(ILogger logger, string owner, string limit);
}
