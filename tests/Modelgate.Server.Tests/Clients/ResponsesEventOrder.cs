namespace Modelgate.Server.Tests.Clients;

/// <summary>The event types of a Responses stream in api.openai.com's order, for one message or one function call.</summary>
internal static class ResponsesEventOrder
{
    public static string[] Text(int deltas) =>
    [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
        .. Enumerable.Repeat("response.output_text.delta", deltas),
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ];

    public static string[] FunctionCall(int deltas) =>
    [
        "response.created", "response.in_progress", "response.output_item.added",
        .. Enumerable.Repeat("response.function_call_arguments.delta", deltas),
        "response.function_call_arguments.done", "response.output_item.done", "response.completed",
    ];

    /// <summary>The types with each run of repeated deltas counted once, so the number of pieces does not matter.</summary>
    public static string[] Collapsed(IEnumerable<string> types)
    {
        var all = types.ToList();
        return [.. all.Where((type, i) => i == 0 || type != all[i - 1])];
    }
}
