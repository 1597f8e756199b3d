namespace Modelgate.Server.Gateway.Usage;

/// <summary>Finds where server-sent events end: at a blank line (<c>\n\n</c>, or <c>\n\r\n</c> with CRLF line ends).</summary>
internal static class SseEvents
{
    /// <summary>The index just past the first event end at or after <paramref name="from"/>, or -1.</summary>
    public static int NextEnd(ReadOnlySpan<byte> bytes, int from)
    {
        for (var i = from; i < bytes.Length; i++)
        {
            var newline = bytes[i..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            i += newline;
            if (i + 1 < bytes.Length && bytes[i + 1] == (byte)'\n')
            {
                return i + 2;
            }

            if (i + 2 < bytes.Length && bytes[i + 1] == (byte)'\r' && bytes[i + 2] == (byte)'\n')
            {
                return i + 3;
            }
        }

        return -1;
    }

    /// <summary>The index just past the last event end, or 0 when no event is complete.</summary>
    public static int LastEnd(ReadOnlySpan<byte> bytes)
    {
        var lf = bytes.LastIndexOf("\n\n"u8);
        var crlf = bytes.LastIndexOf("\n\r\n"u8);
        return Math.Max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 3);
    }
}
