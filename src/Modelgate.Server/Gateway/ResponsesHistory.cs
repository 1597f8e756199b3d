using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Responses;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The Responses API's state, kept by the gateway itself rather than by a provider, so a conversation can go on
/// whichever provider serves its next call (a fallback, a translated provider, a purpose pointed elsewhere): each call
/// that does not say <c>store: false</c> is kept (<see cref="ResponseStore"/>: its own input as sent, its output, and the
/// call it continued, per key, for the retention period), and a later call's <c>previous_response_id</c> and
/// <c>item_reference</c> items are replaced by what they stand for before any provider sees the request. One that is
/// not kept (expired, another key's, never served here) is a 400 that says to send the whole conversation. Items
/// replayed to a provider carry no ids and no reasoning without its encrypted content, so no provider's own storage is
/// relied on.
/// </summary>
internal sealed partial class ResponsesHistory(ResponseStore store, GatewayDrain drain, ILogger<ResponsesHistory> logger)
{
    // Keeping a call holds its last byte back: a database that does not answer in time must not hold it for ever.
    private static readonly TimeSpan KeepTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Replaces <c>previous_response_id</c> and <c>item_reference</c> items in <paramref name="body"/> by the kept items
    /// they stand for; null when done (or nothing to do), else the caller's 400. Refuses what needs state Modelgate does
    /// not serve (<c>conversation</c>, <c>background</c>).
    /// </summary>
    public async Task<IResult?> ExpandAsync(HttpContext context, JsonObject body, VirtualKey key, CancellationToken cancellationToken)
    {
        if (body["conversation"] is JsonValue or JsonObject)
        {
            return Refused("Modelgate does not serve OpenAI's Conversations API: continue with previous_response_id, or send the whole conversation as input.", "conversation");
        }

        if (body["background"] is JsonValue background && background.TryGetValue(out bool later) && later)
        {
            return Refused("background: true needs GET /v1/responses/{id} to collect the answer, which Modelgate does not serve: send the request without it (streaming if it is long).", "background");
        }

        string? previous = null;
        if (body["previous_response_id"] is JsonValue value)
        {
            if (!value.TryGetValue(out previous) || previous.Length is 0 or > ResponseStore.MaxIdLength)
            {
                return Refused($"'previous_response_id' must be the id of a response (a string of at most {ResponseStore.MaxIdLength} characters).", "previous_response_id");
            }
        }

        var items = body["input"] as JsonArray;
        var referenced = false;
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            if (items![i] is JsonObject item && IsReference(item))
            {
                if (item["id"] is not JsonValue id || !id.TryGetValue(out string? _))
                {
                    return Refused($"'input[{i}]': an item_reference needs the 'id' of an item.", $"input[{i}]");
                }

                referenced = true;
            }
        }

        if (previous is null && !referenced)
        {
            body.Remove("previous_response_id");
            return null;
        }

        if (!store.Keeps)
        {
            return Refused("Modelgate keeps no responses here (MODELGATE_RESPONSES_RETENTION_DAYS is 0): send the whole conversation as input, without previous_response_id or item_reference.",
                previous is null ? "input" : "previous_response_id");
        }

        // What the call itself sent is what is kept of it (ContinuedFrom), not the conversation it stands for.
        context.Features.Set(new ContinuedFrom(previous, body["input"]?.DeepClone()));
        // Each item with the length of its kept JSON (0 for what the caller sent): kept items are measured as read, not
        // serialized again.
        var conversation = new List<(JsonNode? Item, int KeptChars)>();
        if (previous is not null)
        {
            if (await store.ConversationAsync(previous, key.Id, cancellationToken) is not { } kept)
            {
                return Refused($"Previous response '{previous}' is not kept: {KeptFor} Send the whole conversation as input.", "previous_response_id", "previous_response_not_found");
            }

            conversation.AddRange(kept.Select(json => (JsonNode.Parse(json), json.Length)));
        }

        conversation.AddRange((items is null ? [UserMessage(body["input"])] : items.Select(i => i?.DeepClone())).Select(i => (i, 0)));

        // References — the caller's, and those inside kept calls — become the kept items they name.
        var ids = conversation.Select(c => c.Item).OfType<JsonObject>().Where(IsReference).Select(r => r["id"]!.GetValue<string>()).Distinct().ToList();
        var found = ids.Count == 0 ? new Dictionary<string, string>() : await store.ItemsByIdAsync(ids, key.Id, cancellationToken);
        var expanded = new JsonArray();
        long keptChars = 0;
        foreach (var (item, chars) in conversation)
        {
            if (item is JsonObject reference && IsReference(reference))
            {
                var id = reference["id"]!.GetValue<string>();
                if (!found.TryGetValue(id, out var json))
                {
                    return Refused($"Item '{id}' is not kept: {KeptFor} Send the item itself instead of an item_reference (clients do when they set store: false).", "input", "item_not_found");
                }

                keptChars += json.Length;
                Add(expanded, Replayed(JsonNode.Parse(json)!.AsObject()));
            }
            else
            {
                keptChars += chars;
                Add(expanded, chars > 0 && item is JsonObject replayed ? Replayed(replayed) : item);
            }
        }

        // The conversation is held to the bounds of a request sent whole.
        if (expanded.Count > GatewayOptions.MaxMessages || keptChars > Steps.ReadBodyStep.MaxBodyBytes)
        {
            return Refused($"The conversation this call continues has {expanded.Count} items and {keptChars} characters kept, more than a request may carry ({GatewayOptions.MaxMessages} items, {Steps.ReadBodyStep.MaxBodyBytes} bytes): start a new conversation with a summary.", "previous_response_id");
        }

        body["input"] = expanded;
        body.Remove("previous_response_id");
        return null;
    }

    /// <summary>Whether a call with this body is kept: unless it says <c>store: false</c>, or the gateway keeps none.</summary>
    public bool Keeps(JsonObject request) => store.Keeps && !(request["store"] is JsonValue flag && flag.TryGetValue(out bool keep) && !keep);

    /// <summary>
    /// Keeps the call being served, if <see cref="Keeps"/>: what it sent as input, <paramref name="response"/>'s output,
    /// and the call it continued, under the response's id. A failure to keep (in <see cref="KeepTimeout"/> at most) is
    /// logged and the call goes on: only a later call that refers to it is refused.
    /// </summary>
    public async Task KeepAsync(HttpContext context, JsonNode? response)
    {
        if (Usage.GatewayCall.Of(context)?.Request is not { } request || !Keeps(request.Body)
            || response is not JsonObject answer || answer["id"] is not JsonValue id || !id.TryGetValue(out string? responseId) || answer["output"] is not JsonArray output)
        {
            return;
        }

        var continued = context.Features.Get<ContinuedFrom>();
        var input = continued is null ? request.Body["input"] : continued.Input;
        var own = input as JsonArray ?? [UserMessage(input)];
        var items = own.Concat(output).OfType<JsonObject>()
            .Select(item => (item["id"] is JsonValue itemId && itemId.TryGetValue(out string? named) ? named : null, item.ToJsonString()))
            .ToList();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Ended);
        bounded.CancelAfter(KeepTimeout);
        try
        {
            await store.KeepAsync(responseId, request.Key.Id, continued?.Previous, items, bounded.Token);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogNotKept(logger, responseId, e.GetType().Name);
        }
    }

    /// <summary>A provider's answer as JSON to keep, or null when it is not JSON (or deeper than the usage scanner reads).</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private string KeptFor => $"Modelgate keeps the responses it serves for {store.Retention.TotalDays:0} days, for the key that made them, unless they were sent with store: false.";

    private static bool IsReference(JsonObject item) => item["type"] is JsonValue type && type.TryGetValue(out string? name) && name == "item_reference";

    private static JsonObject UserMessage(JsonNode? text) => new() { ["type"] = "message", ["role"] = "user", ["content"] = text?.DeepClone() };

    private static void Add(JsonArray conversation, JsonNode? item)
    {
        if (item is not null)
        {
            conversation.Add(item);
        }
    }

    // A kept item sent again, so that it stands on its own whichever provider gets it: messages and function calls
    // without their ids (optional in input; a provider would look them up in its own storage); reasoning only with its
    // encrypted content, as clients send it with store: false (without it, it is only a pointer into the storage of the
    // provider that made it) — else left out, as a model's earlier reasoning may be.
    private static JsonObject? Replayed(JsonObject item)
    {
        if (item["type"] is JsonValue type && type.TryGetValue(out string? name) && name == "reasoning")
        {
            return item["encrypted_content"] is JsonValue encrypted && encrypted.TryGetValue(out string? _) ? item : null;
        }

        item.Remove("id");
        return item;
    }

    private static IResult Refused(string message, string param, string? code = null) => GatewayErrors.Write(GatewayFormat.Responses, 400, message, param, code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Response {ResponseId} was served but could not be kept ({Error}): a later call continuing from it will be refused.")]
    private static partial void LogNotKept(ILogger logger, string responseId, string error);

    /// <summary>What a call that continued another sent itself: kept as its own, so a chain is kept once.</summary>
    private sealed record ContinuedFrom(string? Previous, JsonNode? Input);
}
