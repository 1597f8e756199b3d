using System.Text;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Watches a relayed event stream for the line that ends a complete answer: <c>data: [DONE]</c> (OpenAI),
/// <c>event: message_stop</c> (Anthropic), or the Responses API's terminal events (<c>response.completed</c>,
/// <c>response.incomplete</c>, and the failures <c>response.failed</c> and <c>error</c>), at the start of a line (never
/// the first line of a stream), so a model writing those words — inside a JSON string, where a newline is escaped —
/// does not count. A marker may be split across reads, so the last bytes of each read are kept and searched with the next.
/// </summary>
internal sealed class StreamEndMarker(GatewayFormat format)
{
    private static readonly byte[][] OpenAIDone = [Encoding.ASCII.GetBytes("\ndata: [DONE]")];
    private static readonly byte[][] AnthropicStop = [Encoding.ASCII.GetBytes("\nevent: message_stop")];

    // The whole answers first, then the provider's own failures (the answer ends, but is not whole).
    private static readonly byte[][] ResponsesEnds =
    [
        Encoding.ASCII.GetBytes("\nevent: response.completed"), Encoding.ASCII.GetBytes("\nevent: response.incomplete"),
        Encoding.ASCII.GetBytes("\nevent: response.failed"), Encoding.ASCII.GetBytes("\nevent: error"),
    ];

    private const int FirstFailure = 2;

    private readonly byte[][] _markers = format switch
    {
        GatewayFormat.Anthropic => AnthropicStop,
        GatewayFormat.Responses => ResponsesEnds,
        _ => OpenAIDone,
    };

    private readonly int _longest = format == GatewayFormat.Responses ? ResponsesEnds.Max(m => m.Length) : format == GatewayFormat.Anthropic ? AnthropicStop[0].Length : OpenAIDone[0].Length;
    private readonly byte[] _window = new byte[64];
    private int _kept;

    /// <summary>The stream has ended: the answer is whole, or the provider said in the stream that it failed.</summary>
    public bool Seen { get; private set; }

    /// <summary>The stream ended with the provider's own failure event (<c>response.failed</c>, <c>error</c>).</summary>
    public bool Failed { get; private set; }

    public void Observe(ReadOnlySpan<byte> chunk)
    {
        if (Seen)
        {
            return;
        }

        var longest = _longest;
        // The join of the previous tail and the start of this chunk, then the chunk itself.
        var head = chunk[..Math.Min(chunk.Length, longest - 1)];
        Span<byte> seam = stackalloc byte[_kept + head.Length];
        _window.AsSpan(0, _kept).CopyTo(seam);
        head.CopyTo(seam[_kept..]);
        for (var i = 0; i < _markers.Length; i++)
        {
            if (seam.IndexOf(_markers[i]) >= 0 || chunk.IndexOf(_markers[i]) >= 0)
            {
                Seen = true;
                Failed = _markers == ResponsesEnds && i >= FirstFailure;
                return;
            }
        }

        var tail = chunk[Math.Max(0, chunk.Length - (longest - 1))..];
        if (tail.Length == longest - 1)
        {
            tail.CopyTo(_window);
            _kept = tail.Length;
        }
        else
        {
            // A short chunk: keep what is left of the old tail plus the chunk.
            var keep = Math.Min(_kept, longest - 1 - tail.Length);
            _window.AsSpan(_kept - keep, keep).CopyTo(_window);
            tail.CopyTo(_window.AsSpan(keep));
            _kept = keep + tail.Length;
        }
    }
}
