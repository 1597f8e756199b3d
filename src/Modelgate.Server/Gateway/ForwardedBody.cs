using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;

namespace Modelgate.Server.Gateway;

/// <summary>
/// Writes the caller's JSON body for the provider in one pass: every field as the caller sent it, <c>model</c>
/// replaced, and the model's defaults added where the caller left them out. The caller's parsed body is not copied
/// or changed, so the next model of a fallback chain starts from it again.
/// </summary>
internal static class ForwardedBody
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The body as UTF-8 bytes; <paramref name="defaults"/> are written only for names the body does not have. With
    /// <paramref name="askUsage"/>, <c>stream_options.include_usage</c> is set (the caller's other stream options kept).
    /// For a <paramref name="kind"/> that refuses some of OpenAI's fields, those are renamed or left out
    /// (<see cref="ProviderKind.SentAs"/>).
    /// </summary>
    public static byte[] Write(JsonObject body, string model, ReadOnlySpan<(string Name, double? Value)> defaults, bool askUsage = false, ProviderKind? kind = null)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);

        writer.WriteStartObject();
        foreach (var (name, value) in body)
        {
            if (name == "model")
            {
                continue;
            }

            if (askUsage && name == "stream_options")
            {
                continue;
            }

            if ((kind is null ? name : kind.SentAs(name, body)) is not { } sent)
            {
                continue;
            }

            WriteProperty(writer, sent, value);
        }

        writer.WriteString("model", model);
        if (askUsage)
        {
            writer.WriteStartObject("stream_options");
            if (body["stream_options"] is JsonObject options)
            {
                foreach (var (name, value) in options)
                {
                    if (name != "include_usage")
                    {
                        WriteProperty(writer, name, value);
                    }
                }
            }

            writer.WriteBoolean("include_usage", true);
            writer.WriteEndObject();
        }

        foreach (var (name, value) in defaults)
        {
            if (value is { } number && !body.ContainsKey(name))
            {
                writer.WriteNumber(name, number);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();

        // A rare huge body should not stay cached on the thread.
        if (buffer.Capacity > 1024 * 1024)
        {
            t_buffer = null;
        }

        return bytes;
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, JsonNode? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    /// <summary>Content for the provider: the bytes as <c>application/json</c>.</summary>
    public static HttpContent Content(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }
}
