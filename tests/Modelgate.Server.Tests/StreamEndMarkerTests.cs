using System.Text;
using Modelgate.Server.Gateway;

namespace Modelgate.Server.Tests;

/// <summary>The end marker of a relayed stream is found wherever the reads happen to split it.</summary>
public sealed class StreamEndMarkerTests
{
    private const string OpenAIEnd = "data: {\"choices\":[]}\n\ndata: [DONE]\n\n";
    private const string AnthropicEnd = "event: message_delta\ndata: {}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    [Theory]
    [InlineData(false, OpenAIEnd)]
    [InlineData(true, AnthropicEnd)]
    public void Marker_IsSeen_WhateverTheReadSizes(bool anthropic, string stream) =>
        Assert.All(SeenPerReadSize(anthropic, stream), seen => Assert.True(seen.Seen, $"missed with reads of {seen.Size} bytes"));

    [Theory]
    [InlineData(false, "data: {\"choices\":[{\"delta\":{\"content\":\"DO\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"NE\"}}]}\n\n")]
    [InlineData(false, "data: {\"choices\":[{\"delta\":{\"content\":\"send data: [DONE]\\ndata: [DONE] at the end\"}}]}\n\n")]
    [InlineData(true, "event: message_start\ndata: {}\n\nevent: content_block_delta\ndata: {\"delta\":{\"text\":\"then event: message_stop\\nevent: message_stop\"}}\n\n")]
    [InlineData(true, "event: message_start\ndata: {}\n\nevent: content_block_delta\ndata: {\"delta\":{\"text\":\"message\"}}\n\n")]
    public void CutStream_IsNotTakenForAWholeOne(bool anthropic, string stream) =>
        Assert.All(SeenPerReadSize(anthropic, stream), seen => Assert.False(seen.Seen, $"seen with reads of {seen.Size} bytes"));

    // The stream fed in reads of every size from 1 byte to all of it: whether the marker was seen each time.
    private static IEnumerable<(int Size, bool Seen)> SeenPerReadSize(bool anthropic, string stream)
    {
        var bytes = Encoding.ASCII.GetBytes(stream);
        for (var size = 1; size <= bytes.Length; size++)
        {
            var marker = new StreamEndMarker(anthropic ? GatewayFormat.Anthropic : GatewayFormat.OpenAI);
            for (var at = 0; at < bytes.Length; at += size)
            {
                marker.Observe(bytes.AsSpan(at, Math.Min(size, bytes.Length - at)));
            }

            yield return (size, marker.Seen);
        }
    }

    [Theory]
    [InlineData("event: response.completed\ndata: {\"type\":\"response.completed\"}\n\n", false)]
    [InlineData("event: response.incomplete\ndata: {\"type\":\"response.incomplete\"}\n\n", false)]
    [InlineData("event: response.failed\ndata: {\"type\":\"response.failed\"}\n\n", true)]
    [InlineData("event: error\ndata: {\"type\":\"error\",\"message\":\"m\"}\n\n", true)]
    public void ResponsesStream_EndsWithItsTerminalEvents_AndTellsFailuresApart(string last, bool failed)
    {
        var stream = "event: response.created\ndata: {}\n\nevent: response.output_text.delta\ndata: {\"delta\":\"hi\"}\n\n" + last;
        var bytes = Encoding.ASCII.GetBytes(stream);
        for (var size = 1; size <= bytes.Length; size++)
        {
            var marker = new StreamEndMarker(GatewayFormat.Responses);
            for (var at = 0; at < bytes.Length; at += size)
            {
                marker.Observe(bytes.AsSpan(at, Math.Min(size, bytes.Length - at)));
            }

            Assert.True(marker.Seen, $"missed with reads of {size} bytes");
            Assert.Equal(failed, marker.Failed);
        }
    }

    [Fact]
    public void ResponsesStream_WhoseTextNamesATerminalEvent_IsNotTakenForAWholeOne()
    {
        var marker = new StreamEndMarker(GatewayFormat.Responses);
        marker.Observe(Encoding.ASCII.GetBytes("event: response.created\ndata: {}\n\nevent: response.output_text.delta\ndata: {\"delta\":\"say event: response.completed\\nevent: response.completed\"}\n\n"));

        Assert.False(marker.Seen);
    }
}
