using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Modelgate.Testing.Upstreams;

/// <summary>
/// A fake LLM provider on 127.0.0.1 speaking the real wire formats: OpenAI (<c>/v1/chat/completions</c>,
/// <c>/v1/embeddings</c>, JSON and SSE; the Responses API, <c>/v1/responses</c>, JSON and its named events), Anthropic
/// (<c>/v1/messages</c>, JSON and the SSE event sequence; <c>/v1/messages/count_tokens</c>) and Ollama
/// (<c>/api/chat</c>, <c>/api/embed</c>, NDJSON). It records every request so tests can assert which model, key and
/// parameters were really sent, and can be told to fail the next requests.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body)> _failures = new();

    private FakeUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The root address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Misbehaviour for the next answer (then normal again): an HTML page, JSON without usage, a stream that stalls.</summary>
    public ConcurrentQueue<UpstreamFault> Faults { get; } = new();

    /// <summary>Pause between streamed chunks (a slow provider).</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>How many streamed answers ended because the caller (the gateway) went away.</summary>
    public int AbortedStreams => _aborted;

    private int _aborted;

    /// <summary>
    /// When set, chat and Responses answers to a request with tools call this tool (with these JSON arguments) instead
    /// of replying with text; an answer to the tool's result (the conversation's last item) is text again.
    /// </summary>
    public (string Name, string ArgumentsJson)? ToolCall { get; set; }

    /// <summary>Token usage to report instead of the counts the fake works out (Prompt includes Cached, as in OpenAI's usage).</summary>
    public (int Prompt, int Completion, int Cached)? Usage { get; set; }

    /// <summary>When set, OpenAI, Responses and Anthropic answers say this (streamed a word an event) instead of <see cref="ReplyText"/>.</summary>
    public string? Reply { get; set; }

    /// <summary>The models the fake lists (<c>GET /v1/models</c>, <c>GET /api/tags</c>).</summary>
    public IReadOnlyList<string> ListedModels { get; set; } = ["fake-chat-large", "fake-chat-small", "fake-embed"];

    /// <summary>When set, model listings refuse any other key with the API's 401 (chat and embeddings do not check keys).</summary>
    public string? RequiredKey { get; set; }

    /// <summary>The ids of the responses and output items the Responses API stored (all but <c>store: false</c> ones).</summary>
    internal ConcurrentDictionary<string, bool> StoredResponses { get; } = new();

    internal static FakeUpstream? Of(HttpContext context) => context.RequestServices.GetService(typeof(FakeUpstream)) as FakeUpstream;

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        FakeUpstream? self = null;
        builder.Services.AddSingleton(_ => self!);
        var app = builder.Build();
        var upstream = new FakeUpstream(app);
        self = upstream;
        var chat = upstream.Answer((c, r) => OpenAIWire.WriteChatAsync(c, r, upstream.ToolCall));
        var embeddings = upstream.Answer(OpenAIWire.WriteEmbeddingsAsync);
        var responses = upstream.Answer((c, r) => ResponsesWire.WriteResponseAsync(c, r, upstream.ToolCall));
        app.MapPost("/v1/chat/completions", chat);
        app.MapPost("/openai/v1/chat/completions", chat);
        app.MapPost("/v1/embeddings", embeddings);
        app.MapPost("/openai/v1/embeddings", embeddings);
        app.MapPost("/v1/responses", responses);
        app.MapPost("/openai/v1/responses", responses);
        app.MapPost("/v1/messages", upstream.Answer((c, r) => AnthropicWire.WriteMessageAsync(c, r, upstream.ToolCall)));
        app.MapPost("/v1/messages/count_tokens", upstream.Answer(AnthropicWire.WriteTokenCountAsync));
        app.MapPost("/api/chat", upstream.Answer(OllamaWire.WriteChatAsync));
        app.MapPost("/api/embed", upstream.Answer(OllamaWire.WriteEmbedAsync));
        app.MapGet("/v1/models", upstream.ListModels);
        app.MapGet("/openai/v1/models", upstream.ListModels);
        app.MapGet("/api/tags", upstream.ListModels);
        await app.StartAsync();
        upstream.Url = app.Urls.First().TrimEnd('/');
        return upstream;
    }

    /// <summary>The next request fails with this status and body (in the caller's wire format).</summary>
    public void FailNext(int status, string body, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _failures.Enqueue((status, body));
        }
    }

    public RecordedRequest Last => Requests.LastOrDefault() ?? throw new InvalidOperationException("The fake upstream received no request.");

    public static string ReplyText(string? model) => $"Hello from {model}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ListModels(HttpContext context)
    {
        var headers = context.Request.Headers;
        var format = context.Request.Path.StartsWithSegments("/api") ? "ollama" : ModelListWire.IsAnthropic(context.Request) ? "anthropic" : "openai";
        // Anthropic takes x-api-key or (as its current SDK sends an API key) Authorization: Bearer; Azure api-key or Bearer.
        var bearer = headers.Authorization.FirstOrDefault()?.Replace("Bearer ", "", StringComparison.Ordinal);
        var presented = (format == "anthropic" ? headers["x-api-key"].FirstOrDefault() : headers["api-key"].FirstOrDefault()) ?? bearer;
        Requests.Enqueue(new RecordedRequest(context.Request.Path, headers.Authorization.FirstOrDefault(), headers["x-api-key"].FirstOrDefault(), headers["api-key"].FirstOrDefault(), default));
        if (RequiredKey is { } required && presented != required)
        {
            await ModelListWire.WriteWrongKeyAsync(context, presented, format);
            return;
        }

        await (format switch
        {
            "ollama" => ModelListWire.WriteOllamaAsync(context, ListedModels),
            "anthropic" => ModelListWire.WriteAnthropicAsync(context, ListedModels),
            _ => ModelListWire.WriteOpenAIAsync(context, ListedModels),
        });
    }

    private async Task<(RecordedRequest Request, bool Failed)> RecordAsync(HttpContext context)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body);
        var headers = context.Request.Headers;
        var request = new RecordedRequest(context.Request.Path, headers.Authorization.FirstOrDefault(), headers["x-api-key"].FirstOrDefault(), headers["api-key"].FirstOrDefault(), body.RootElement.Clone())
        {
            AnthropicVersion = headers["anthropic-version"].FirstOrDefault(),
            AnthropicBeta = headers["anthropic-beta"].FirstOrDefault(),
        };
        Requests.Enqueue(request);
        if (_failures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(failure.Body);
            return (request, true);
        }

        return (request, false);
    }

    /// <summary>Records the request, then answers with the configured failure or with the wire format's reply.</summary>
    private RequestDelegate Answer(Func<HttpContext, RecordedRequest, Task> reply) => async context =>
    {
        var (request, failed) = await RecordAsync(context);
        if (failed)
        {
            return;
        }

        if (Faults.TryDequeue(out var fault))
        {
            await FaultAsync(context, fault);
            return;
        }

        try
        {
            await reply(context, request);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
    };

    private async Task FaultAsync(HttpContext context, UpstreamFault fault)
    {
        switch (fault)
        {
            case UpstreamFault.SlowHeaders:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _aborted);
                }

                break;
            case UpstreamFault.HtmlPage:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1>nginx</body></html>");
                break;
            case UpstreamFault.JsonWithoutUsage when IsResponses(context):
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(ResponsesWire.Complete("hi", withUsage: false));
                break;
            case UpstreamFault.JsonWithoutUsage:
                await context.Response.WriteAsJsonAsync(new { id = "x", @object = "chat.completion", choices = new[] { new { index = 0, message = new { role = "assistant", content = "hi" }, finish_reason = "stop" } } });
                break;
            case UpstreamFault.StallMidStream:
                await FirstEventAsync(context);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _aborted);
                }

                break;
            case UpstreamFault.EndWithoutMarker:
                await FirstEventAsync(context);
                break;
            case UpstreamFault.BareDoneAtTheEnd:
                await FirstEventAsync(context);
                await context.Response.WriteAsync("data: [DONE]");
                break;
            case UpstreamFault.EndMidEvent when IsResponses(context):
                await FirstEventAsync(context);
                await context.Response.WriteAsync("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":5,\"item_id\":\"msg_fa");
                break;
            case UpstreamFault.EndMidEvent:
                await FirstEventAsync(context);
                await context.Response.WriteAsync("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo w");
                break;
            case UpstreamFault.DropMidStream:
                await FirstEventAsync(context);
                // Give the first event time to leave before the connection drops.
                await Task.Delay(200);
                context.Abort();
                break;
            case UpstreamFault.OversizedAnswer when IsResponses(context):
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(ResponsesWire.Complete(new string('x', 256 * 1024), withUsage: true));
                break;
            case UpstreamFault.OversizedAnswer:
                await context.Response.WriteAsJsonAsync(new
                {
                    id = "big", @object = "chat.completion", created = 1, model = "m",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = new string('x', 256 * 1024) }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
                });
                break;
            case UpstreamFault.EndlessStream:
                await FirstEventAsync(context);
                var anthropic = context.Request.Path.Value!.EndsWith("/messages", StringComparison.Ordinal);
                var sequence = 5;
                string Delta() => IsResponses(context) ? ResponsesWire.MoreText(sequence++)
                    : anthropic ? "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"more \"}}\n\n"
                    : "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"more \"},\"finish_reason\":null}]}\n\n";
                try
                {
                    while (true)
                    {
                        await context.Response.WriteAsync(Delta(), context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                        await Task.Delay(1, context.RequestAborted);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    Interlocked.Increment(ref _aborted);
                }

                break;
            case UpstreamFault.Redirect:
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = $"{Url}{context.Request.Path}";
                break;
        }
    }

    // The first event of a streamed answer in the wire format of the path asked for, flushed.
    private static async Task FirstEventAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        if (IsResponses(context))
        {
            await context.Response.WriteAsync(ResponsesWire.FirstEvents());
        }
        else if (context.Request.Path.Value!.EndsWith("/messages", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n");
        }
        else
        {
            await context.Response.WriteAsync("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n");
        }

        await context.Response.Body.FlushAsync();
    }

    private static bool IsResponses(HttpContext context) => context.Request.Path.Value!.EndsWith("/responses", StringComparison.Ordinal);

    /// <summary>A deterministic vector for a text, so tests can check what came back.</summary>
    public static float[] VectorFor(string text, int dimensions) =>
        [.. Enumerable.Range(0, dimensions).Select(i => (float)((text.Length + i) % 7) / 7f)];
}

/// <summary>Ways a fake upstream can misbehave.</summary>
public enum UpstreamFault
{
    HtmlPage,
    JsonWithoutUsage,
    /// <summary>Sends the first event of a stream, then nothing, until the caller gives up.</summary>
    StallMidStream,
    SlowHeaders,
    /// <summary>Sends the first event of a stream and ends it cleanly, without [DONE] / message_stop / response.completed.</summary>
    EndWithoutMarker,
    /// <summary>Sends the first event of a stream, then drops the connection.</summary>
    DropMidStream,
    /// <summary>Sends the first event of a stream, then half an event, and ends cleanly.</summary>
    EndMidEvent,
    /// <summary>Sends the first event of a stream, then <c>data: [DONE]</c> without a line end, and ends: complete.</summary>
    BareDoneAtTheEnd,
    /// <summary>A valid chat completion with usage, 256 KiB long.</summary>
    OversizedAnswer,
    /// <summary>A 307 redirect back to the same path.</summary>
    Redirect,
    /// <summary>Sends the events of a stream without end (a text delta each millisecond or so), until the caller leaves.</summary>
    EndlessStream,
}
