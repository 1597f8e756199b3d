using Microsoft.Extensions.AI;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Usage;

/// <summary>
/// One call made through the client library (direct mode), measured from start to end and turned into a
/// <see cref="UsageRecord"/> like the gateway's: tokens as the provider reported them, or counted with the tokenizer.
/// </summary>
internal sealed class ClientCall(ResolvedModel resolved, string operation, TimeProvider time)
{
    private readonly DateTimeOffset _at = time.GetUtcNow();
    private readonly CallClock _clock = new();
    private UsageDetails? _usage;
    private TextSample? _text;

    /// <summary>Notes a stream update's usage and text.</summary>
    public void Observe(ChatResponseUpdate update)
    {
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

    public UsageRecord Finish(IEnumerable<string> prompt, UsageDetails? usage, string? output, Exception? error, bool streamed)
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
        return new UsageRecord
        {
            RequestId = RequestIds.Next(_at),
            At = _at,
            Source = UsageSource.Client,
            Operation = operation,
            Purpose = resolved.Purpose.Name,
            ProviderId = resolved.Provider.Id,
            ProviderName = resolved.Provider.Name,
            ModelId = resolved.Model.Id,
            ModelName = resolved.Model.ModelId,
            Tokens = tokens,
            Cost = Cost.Of(resolved.Pricing, tokens),
            LatencyMs = _clock.LatencyMs,
            TimeToFirstTokenMs = streamed ? _clock.FirstByteMs : null,
            // 499: the caller gave up (nginx's "client closed request").
            Status = error switch { null => 200, OperationCanceledException => 499, _ => ModelgateProviderException.StatusOf(error) ?? 502 },
            ErrorClass = error switch
            {
                null => null,
                OperationCanceledException => "cancelled",
                _ => "provider_error",
            },
            Streamed = streamed,
            ConfigVersion = resolved.CatalogVersion,
        };
    }
}
