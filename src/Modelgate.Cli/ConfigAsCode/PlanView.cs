using System.Text.Json;
using Modelgate.Cli.Output;
using Spectre.Console.Rendering;

namespace Modelgate.Cli.ConfigAsCode;

/// <summary>A plan (<c>/config/plan</c>'s answer) for people: one row per object to create, change or delete.</summary>
internal static class PlanView
{
    /// <summary>The changes in the plan.</summary>
    public static IReadOnlyList<JsonElement> Changes(JsonElement plan) =>
        plan.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array ? [.. changes.EnumerateArray()] : [];

    /// <summary>Whether applying the plan would publish a new version.</summary>
    public static bool HasChanges(JsonElement plan) => plan.TryGetProperty("has_changes", out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The plan as a table, with <paramref name="verbs"/> naming added, changed and removed objects.</summary>
    public static IRenderable Table(JsonElement plan, (string Added, string Changed, string Removed) verbs)
    {
        var rows = Changes(plan).Select(c => new[]
        {
            JsonText.At(c, "kind") switch { "added" => verbs.Added, "removed" => verbs.Removed, _ => verbs.Changed },
            JsonText.At(c, "entity"), JsonText.At(c, "name"), Fields(c),
        }).ToList();
        return Tables.Of(["ACTION", "KIND", "NAME", "FIELDS"], rows);
    }

    /// <summary>One line saying what the plan amounts to.</summary>
    public static string Summary(JsonElement plan)
    {
        var changes = Changes(plan);
        int Count(string kind) => changes.Count(c => JsonText.At(c, "kind") == kind);
        var ownership = plan.TryGetProperty("ownership_changes", out var owned) && owned.ValueKind == JsonValueKind.True;
        var left = plan.TryGetProperty("left_as_they_are", out var kept) && kept.ValueKind == JsonValueKind.Array ? kept.EnumerateArray().Select(JsonText.Of).ToList() : [];
        return (left.Count == 0 ? "" : $"Left as they are (stopped or ended; apply never restarts an experiment): {string.Join(", ", left)}.\n") + $"Plan against catalog version {JsonText.At(plan, "based_on_version")}: {Count("added")} to create, {Count("changed")} to change, {Count("removed")} to delete"
            + (ownership ? "; the file's ownership of objects changes." : ".");
    }

    // field: before → after; keys are never shown, only "(changed)" as the server reports them.
    private static string Fields(JsonElement change)
    {
        if (!change.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        return string.Join("; ", fields.EnumerateObject().Select(f => $"{f.Name}: {Value(f.Value, "before")} -> {Value(f.Value, "after")}"));
    }

    private static string Value(JsonElement field, string side) =>
        field.TryGetProperty(side, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? JsonText.At(field, side) : "-";
}
