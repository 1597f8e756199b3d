using Microsoft.Extensions.AI;
using Modelgate.Core.Pipeline;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Usage;

/// <summary>
/// One call made through the client library (direct mode), measured from start to end and turned into a
/// <see cref="UsageRecord"/> of the gateway's shape: the model that served it (or was tried last), tokens as the
/// provider reported them or counted with the tokenizer, the status a gateway would have answered and its error class.
/// </summary>
internal sealed class ClientCall(ResolvedModel first, string operation, TimeProvider time)
{
    private readonly DateTimeOffset _at = time.GetUtcNow();
    private readonly CallClock _clock = new();
    private UsageDetails? _usage;
    private TextSample? _text;
    private bool _started;

    /// <summary>The virtual key the call counts against (direct mode with a named key), or null.</summary>
    public Guid? KeyId { get; init; }

    /// <summary>Who made the call: an application (direct mode), or the gateway for a shadow copy of a gateway call.</summary>
    public UsageSource Source { get; init; } = UsageSource.Client;

    /// <summary>The application's session id for the call, when it named one.</summary>
    public string? Session { get; init; }

    /// <summary>The model being tried: the first of the chain, then each fallback in turn.</summary>
    public ResolvedModel Model { get; set; } = first;

    /// <summary>Notes a stream update's usage and text.</summary>
    public void Observe(ChatResponseUpdate update)
    {
        _started = true;
        _clock.FirstByte();
        foreach (var content in update.Contents)
        {
            if (content is UsageContent used)
            {
                _usage = used.Details;
            }
            else if (content is TextContent text)
            {
                (_text ??= new TextSample()).Append(text.Text);
            }
        }
    }

    /// <summary>
    /// The call's record. <paramref name="callerCancelled"/>: the application's own token ended it (not a timeout of
    /// the pipeline's).
    /// </summary>
    public UsageRecord Finish(IEnumerable<string> prompt, UsageDetails? usage, string? output, Exception? error, bool streamed, bool callerCancelled = false)
    {
        usage ??= _usage;
        var answer = _text ?? new TextSample();
        if (output is not null)
        {
            answer = new TextSample();
            answer.Append(output);
        }

        var tokens = (error is null ? TokenCounts.From(usage, requireOutput: operation == UsageOperations.Chat) : null)
            ?? (error is not null && output is null && _text is null ? TokenCounts.None
            : operation == UsageOperations.Embeddings ? TokenEstimator.EstimateInputs(prompt)
            : TokenEstimator.Estimate(prompt, answer));
        _clock.Ended();
        var (status, errorClass) = Outcome(error, callerCancelled);
        return new UsageRecord
        {
            RequestId = RequestIds.Next(_at),
            At = _at,
            Source = Source,
            KeyId = KeyId,
            Operation = operation,
            // As the gateway records it: the purpose asked for, none for a call through an alias.
            Purpose = Model.Alias is null ? Model.Purpose.Name : null,
            ExperimentId = Model.Arm?.ExperimentId,
            Variant = Model.Arm?.Variant,
            SessionHash = Session is { } session ? Experiments.SessionHash.Of(session) : null,
            ProviderId = Model.Provider.Id,
            ProviderName = Model.Provider.Name,
            ModelId = Model.Model.Id,
            ModelName = Model.Model.ModelId,
            Tokens = tokens,
            Cost = Cost.Of(Model.Pricing, tokens),
            LatencyMs = _clock.LatencyMs,
            TimeToFirstTokenMs = streamed ? _clock.FirstByteMs : null,
            Status = status,
            ErrorClass = errorClass,
            Streamed = streamed,
            ConfigVersion = Model.CatalogVersion,
        };
    }

    // What the gateway records for the same call: once the answer has started its status stays 200 and the error class
    // says how it ended; before, the gateway's answer for the failure (PipelineStatus.Answer). 499: the caller gave up
    // before any answer (nginx's "client closed request").
    private (int Status, string? ErrorClass) Outcome(Exception? error, bool callerCancelled) => error switch
    {
        null => (200, null),
        _ when _started => (200, callerCancelled ? "client_closed" : "stream_broken"),
        _ when callerCancelled => (499, "client_closed"),
        _ => PipelineStatus.Answer(error),
    };
}
