using System.Text;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Watches a relayed event stream for the line that ends a complete answer: <c>data: [DONE]</c> (OpenAI) or
/// <c>event: message_stop</c> (Anthropic), at the start of a line (never the first line of a stream), so a model
/// writing those words — inside a JSON string, where a newline is escaped — does not count. The marker may be split
/// across reads, so the last bytes of each read are kept and searched with the next.
/// </summary>
internal sealed class StreamEndMarker(GatewayFormat format)
{
    private static readonly byte[] OpenAIDone = Encoding.ASCII.GetBytes("\ndata: [DONE]");
    private static readonly byte[] AnthropicStop = Encoding.ASCII.GetBytes("\nevent: message_stop");

    private readonly byte[] _marker = format == GatewayFormat.Anthropic ? AnthropicStop : OpenAIDone;
    private readonly byte[] _window = new byte[64];
    private int _kept;

    public bool Seen { get; private set; }

    public void Observe(ReadOnlySpan<byte> chunk)
    {
        if (Seen)
        {
            return;
        }

        // The join of the previous tail and the start of this chunk, then the chunk itself.
        var head = chunk[..Math.Min(chunk.Length, _marker.Length - 1)];
        Span<byte> seam = stackalloc byte[_kept + head.Length];
        _window.AsSpan(0, _kept).CopyTo(seam);
        head.CopyTo(seam[_kept..]);
        if (seam.IndexOf(_marker) >= 0 || chunk.IndexOf(_marker) >= 0)
        {
            Seen = true;
            return;
        }

        var tail = chunk[Math.Max(0, chunk.Length - (_marker.Length - 1))..];
        if (tail.Length == _marker.Length - 1)
        {
            tail.CopyTo(_window);
            _kept = tail.Length;
        }
        else
        {
            // A short chunk: keep what is left of the old tail plus the chunk.
            var keep = Math.Min(_kept, _marker.Length - 1 - tail.Length);
            _window.AsSpan(_kept - keep, keep).CopyTo(_window);
            tail.CopyTo(_window.AsSpan(keep));
            _kept = keep + tail.Length;
        }
    }
}
