using System.Diagnostics;
using System.Diagnostics.Metrics;
using Modelgate.Core.Catalog;
using Modelgate.Core.Usage;

namespace Modelgate.Server.Gateway.Usage;

/// <summary>
/// The gateway's calls as OpenTelemetry metrics and spans, following the GenAI semantic conventions:
/// <c>gen_ai.client.operation.duration</c>, <c>gen_ai.client.token.usage</c> and
/// <c>gen_ai.server.time_to_first_token</c>, with <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c>,
/// <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c> and <c>error.type</c>; plus <c>modelgate.cost</c> in USD.
/// </summary>
internal sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "Modelgate.Gateway";
    public static readonly ActivitySource Source = new(Name);

    private static readonly double[] SecondsBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _firstToken;
    private readonly Counter<double> _cost;

    public GatewayTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _duration = _meter.CreateHistogram("gen_ai.client.operation.duration", "s", "Duration of GenAI operations served by the gateway.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _tokens = _meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens used per operation, by gen_ai.token.type.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _firstToken = _meter.CreateHistogram("gen_ai.server.time_to_first_token", "s", "Time to the first byte of a streamed answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _cost = _meter.CreateCounter<double>("modelgate.cost", "USD", "Cost of the calls served, at the prices in force when they ran.");
    }

    /// <summary>A span for the call (none when nothing listens).</summary>
    public static Activity? Start(string operation, string path) =>
        Source.StartActivity(operation + " " + path, ActivityKind.Server) is { } activity ? activity.SetTag("gen_ai.operation.name", operation) : null;

    public void Record(UsageRecord record, string? requestedModel, ProviderKind? kind, Activity? activity)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", record.Operation },
            { "gen_ai.provider.name", kind?.TelemetryName ?? "none" },
            { "gen_ai.request.model", requestedModel ?? "" },
            { "gen_ai.response.model", record.ModelName ?? "" },
        };
        if (record.IsError)
        {
            tags.Add("error.type", record.ErrorClass ?? "error");
        }

        _duration.Record(record.LatencyMs / 1000.0, tags);
        if (record.TimeToFirstTokenMs is { } ttft)
        {
            _firstToken.Record(ttft / 1000.0, tags);
        }

        if (record.Tokens.Total > 0)
        {
            var input = tags;
            input.Add("gen_ai.token.type", "input");
            _tokens.Record(record.Tokens.Input, input);
            if (record.Operation == UsageOperations.Chat)
            {
                var output = tags;
                output.Add("gen_ai.token.type", "output");
                _tokens.Record(record.Tokens.Output, output);
            }
        }

        if (record.Cost is > 0 and var cost)
        {
            _cost.Add((double)cost, tags);
        }

        if (activity is not null)
        {
            // The convention's span name, now that the model is known: "{operation} {model}".
            activity.DisplayName = requestedModel is null ? activity.DisplayName : $"{record.Operation} {requestedModel}";
            activity.SetTag("gen_ai.provider.name", kind?.TelemetryName)
                .SetTag("gen_ai.request.model", requestedModel)
                .SetTag("gen_ai.response.model", record.ModelName)
                .SetTag("gen_ai.usage.input_tokens", record.Tokens.Input)
                .SetTag("gen_ai.usage.output_tokens", record.Tokens.Output)
                .SetTag("modelgate.request_id", record.RequestId.ToString())
                .SetTag("modelgate.cost_usd", record.Cost?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (record.IsError)
            {
                activity.SetStatus(ActivityStatusCode.Error, record.ErrorClass).SetTag("error.type", record.ErrorClass);
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}
