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

    /// <summary>
    /// Whether bytes left at the end of a stream end on a whole line: a newline, or a last <c>data:</c> line that is
    /// complete without one (<c>[DONE]</c>, or a JSON value that parses).
    /// </summary>
    public static bool EndsWhole(ReadOnlySpan<byte> rest)
    {
        if (rest[^1] == (byte)'\n')
        {
            return true;
        }

        var line = rest[(rest.LastIndexOf((byte)'\n') + 1)..];
        if (!line.StartsWith("data:"u8))
        {
            return false;
        }

        var data = line[5..].Trim((byte)' ');
        if (data.SequenceEqual("[DONE]"u8))
        {
            return true;
        }

        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(data);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
