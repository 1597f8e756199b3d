using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Modelgate.Testing.Upstreams;

/// <summary>Writes a Responses stream: <c>event:</c> and <c>data:</c> lines, each event numbered from 0 and flushed.</summary>
internal sealed class ResponsesEvents(HttpContext context, TimeSpan delay)
{
    private int _sequence;

    public async Task SendAsync(string type, JsonObject data)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        await context.Response.WriteAsync(Format(type, data, _sequence++), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>One event as api.openai.com writes it: the type first, then the sequence number, then its fields.</summary>
    public static string Format(string type, JsonObject data, int sequence)
    {
        var ordered = new JsonObject { ["type"] = type, ["sequence_number"] = sequence };
        foreach (var (name, value) in data.ToList())
        {
            data.Remove(name);
            ordered[name] = value;
        }

        return $"event: {type}\ndata: {ordered.ToJsonString()}\n\n";
    }
}
