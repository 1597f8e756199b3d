using System.Text.Json.Nodes;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Responses;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The Responses API's state, kept by the gateway itself rather than by a provider, so a conversation can go on
/// whichever provider serves its next call (a fallback, a translated provider, a purpose pointed elsewhere): each call
/// that does not say <c>store: false</c> is kept (<see cref="ResponseStore"/>: its whole input and its output, per key,
/// for the retention period), and a later call's <c>previous_response_id</c> and <c>item_reference</c> items are
/// replaced by what they stand for before any provider sees the request. One that is not kept (expired, another key's,
/// never served here) is a 400 that says to send the whole conversation.
/// </summary>
internal sealed partial class ResponsesHistory(ResponseStore store, ILogger<ResponsesHistory> logger)
{
    /// <summary>
    /// Replaces <c>previous_response_id</c> and <c>item_reference</c> items in <paramref name="body"/> by the kept items
    /// they stand for; null when done (or nothing to do), else the caller's 400.
    /// </summary>
    public async Task<IResult?> ExpandAsync(JsonObject body, VirtualKey key, CancellationToken cancellationToken)
    {
        if (body["conversation"] is JsonValue or JsonObject)
        {
            return Refused("Modelgate does not serve OpenAI's Conversations API: continue with previous_response_id, or send the whole conversation as input.", "conversation");
        }

        var previous = body["previous_response_id"] is JsonValue value && value.TryGetValue(out string? id) && id.Length > 0 ? id : null;
        var items = body["input"] as JsonArray;
        var references = items?.OfType<JsonObject>().Where(IsReference).Select(i => i["id"]?.GetValue<string>() ?? "").ToList() ?? [];
        if (previous is null && references.Count == 0)
        {
            body.Remove("previous_response_id");
            return null;
        }

        if (!store.Keeps)
        {
            return Refused("Modelgate keeps no responses here (MODELGATE_RESPONSES_RETENTION_DAYS is 0): send the whole conversation as input, without previous_response_id or item_reference.",
                previous is null ? "input" : "previous_response_id");
        }

        var expanded = new JsonArray();
        if (previous is not null)
        {
            if (await store.ItemsOfAsync(previous, key.Id, cancellationToken) is not { } kept)
            {
                return Refused($"Previous response '{previous}' is not kept: {Kept} Send the whole conversation as input.", "previous_response_id", "previous_response_not_found");
            }

            foreach (var json in kept)
            {
                expanded.Add(Replayed(JsonNode.Parse(json)!.AsObject()));
            }
        }

        var found = references.Count == 0 ? new Dictionary<string, string>() : await store.ItemsByIdAsync(references, key.Id, cancellationToken);
        foreach (var item in items is null ? [UserMessage(body["input"])] : items)
        {
            if (item is JsonObject reference && IsReference(reference))
            {
                var referenced = reference["id"]?.GetValue<string>() ?? "";
                if (!found.TryGetValue(referenced, out var json))
                {
                    return Refused($"Item '{referenced}' is not kept: {Kept} Send the item itself instead of an item_reference (clients do when they set store: false).", "input", "item_not_found");
                }

                expanded.Add(Replayed(JsonNode.Parse(json)!.AsObject()));
            }
            else
            {
                expanded.Add(item?.DeepClone());
            }
        }

        body["input"] = expanded;
        body.Remove("previous_response_id");
        return null;
    }

    /// <summary>Whether a call with this body is kept: unless it says <c>store: false</c>, or the gateway keeps none.</summary>
    public bool Keeps(JsonObject request) => store.Keeps && !(request["store"] is JsonValue flag && flag.TryGetValue(out bool keep) && !keep);

    /// <summary>
    /// Keeps a call that <see cref="Keeps"/>: its input (as sent, references replaced) and <paramref name="response"/>'s
    /// output, under the response's id. A failure to keep is logged and the call goes on: only a later call that refers
    /// to it is refused.
    /// </summary>
    public async Task KeepAsync(JsonObject request, JsonNode? response, VirtualKey key, CancellationToken cancellationToken)
    {
        if (!Keeps(request) || response?["id"] is not JsonValue id || !id.TryGetValue(out string? responseId) || response["output"] is not JsonArray output)
        {
            return;
        }

        var input = request["input"] is JsonArray items ? items : [UserMessage(request["input"])];
        var kept = input.Concat(output).OfType<JsonObject>()
            .Select(item => (item["id"] is JsonValue itemId && itemId.TryGetValue(out string? named) ? named : null, item.ToJsonString()))
            .ToList();
        try
        {
            await store.KeepAsync(responseId, key.Id, kept, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotKept(logger, responseId, e.GetType().Name);
        }
    }

    private string Kept => $"Modelgate keeps the responses it serves for {store.Retention.TotalDays:0} days, for the key that made them, unless they were sent with store: false.";

    private static bool IsReference(JsonObject item) => item["type"] is JsonValue type && type.TryGetValue(out string? name) && name == "item_reference";

    private static JsonObject UserMessage(JsonNode? text) => new() { ["type"] = "message", ["role"] = "user", ["content"] = text?.DeepClone() };

    // A kept item sent again: the ids of messages and function calls are left out (optional in input, and a provider
    // other than the one that made them would look them up); a reasoning item keeps its id, which it needs.
    private static JsonObject Replayed(JsonObject item)
    {
        if (item["type"]?.GetValue<string>() != "reasoning")
        {
            item.Remove("id");
        }

        return item;
    }

    private static IResult Refused(string message, string param, string? code = null) => GatewayErrors.Write(GatewayFormat.Responses, 400, message, param, code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Response {ResponseId} was served but could not be kept ({Error}): a later call continuing from it will be refused.")]
    private static partial void LogNotKept(ILogger logger, string responseId, string error);
}
