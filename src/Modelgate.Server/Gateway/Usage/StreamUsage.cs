using System.Text.Json;
using System.Text.Json.Nodes;
using Modelgate.Core.Usage;

namespace Modelgate.Server.Gateway.Usage;

/// <summary>
/// Watches the events of a relayed stream for token usage (OpenAI's last chunk; Anthropic's message_start and
/// message_delta) and the generated text, and says which events to leave out: the usage-only chunk the gateway asked
/// for on the caller's behalf (<paramref name="dropUsageChunk"/>). An event that is not JSON is relayed as is.
/// </summary>
internal sealed class StreamUsage(UsageRule rule, bool dropUsageChunk)
{
    private readonly TextSample _text = new();
    private ReportedUsage _usage;

    /// <summary>The last <c>sequence_number</c> of a Responses API stream (0 before any).</summary>
    public long LastSequence { get; private set; }

    /// <summary>The data of a Responses API stream's <c>response.completed</c> or <c>response.incomplete</c> event (the whole response), once seen.</summary>
    public byte[]? CompletedResponse { get; private set; }

    /// <summary>Reads one whole event; true when it must not reach the caller.</summary>
    public bool Observe(ReadOnlySpan<byte> sseEvent)
    {
        var drop = false;
        var completed = false;
        while (sseEvent.Length > 0)
        {
            var newline = sseEvent.IndexOf((byte)'\n');
            var line = newline < 0 ? sseEvent : sseEvent[..newline];
            sseEvent = newline < 0 ? [] : sseEvent[(newline + 1)..];
            if (line.StartsWith("event:"u8))
            {
                var name = line[6..].Trim((byte)' ').TrimEnd((byte)'\r');
                completed = rule == UsageRule.OpenAIResponses && (name.SequenceEqual("response.completed"u8) || name.SequenceEqual("response.incomplete"u8));
                continue;
            }

            if (!line.StartsWith("data:"u8))
            {
                continue;
            }

            var data = line[5..].TrimStart((byte)' ').TrimEnd((byte)'\r');
            if (completed)
            {
                CompletedResponse = data.ToArray();
            }

            if (data.Length == 0 || data[0] != (byte)'{')
            {
                continue;
            }

            try
            {
                var found = UsageScanner.Scan(data, ref _usage, _text, deltasOnly: rule == UsageRule.OpenAIResponses);
                drop |= dropUsageChunk && found.Usage && found.EmptyChoices;
                LastSequence = found.Sequence ?? LastSequence;
            }
            catch (JsonException)
            {
                // Not ours to judge: the caller gets the event as the provider sent it.
            }
        }

        return drop;
    }

    /// <summary>The call's tokens as the provider reported them, when the stream ended properly with usage.</summary>
    public TokenCounts? Reported(bool complete) => complete ? _usage.Counts(rule) : null;

    /// <summary>
    /// The call's tokens: as reported, when the stream ended properly with usage; otherwise counted from the prompt
    /// and the text relayed so far, and marked estimated.
    /// </summary>
    public TokenCounts Tokens(bool complete, JsonObject? request, int exactChars = TokenEstimator.ExactChars)
    {
        if (complete && _usage.Counts(rule) is { } reported)
        {
            return reported;
        }

        var input = _usage.Input(rule) ?? (request is null ? 0 : PromptTokens.Estimate(request, exactChars));
        return new TokenCounts(input, _text.CountTokens(exactChars), 0, Estimated: true);
    }
}
