using System.Text.Json;
using System.Text.Json.Serialization;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Maps <c>experiments</c> rows to <see cref="Experiment"/> records and back: variants and guardrails as snake_case JSON
/// text, state and stickiness by name, times as UTC.
/// </summary>
internal static class ExperimentRows
{
    public const string Running = "running";
    public const string Stopped = "stopped";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Experiment ToRecord(ExperimentEntity e) => new()
    {
        Id = e.Id,
        Name = e.Name,
        Target = e.Target,
        Variants = ReadVariants(e.Variants),
        Stickiness = ExperimentStickinesses.TryParse(e.Stickiness, out var stickiness) ? stickiness : ExperimentStickiness.Session,
        Guardrails = ReadGuardrails(e.Guardrails),
        StartsAt = ToOffset(e.StartsAt),
        EndsAt = ToOffset(e.EndsAt),
        State = e.State == Stopped ? ExperimentState.Stopped : ExperimentState.Running,
        StopReason = e.StopReason,
        Description = e.Description,
        Alpha = e.Alpha,
    };

    /// <summary>Sets every field of the row but its id, timestamps and revision from <paramref name="e"/>.</summary>
    public static void Apply(ExperimentEntity row, Experiment e)
    {
        row.Name = e.Name;
        row.Target = e.Target;
        row.Variants = Write(e.Variants);
        row.Stickiness = e.Stickiness.ToName();
        row.Guardrails = Write(e.Guardrails);
        row.StartsAt = ToStored(e.StartsAt);
        row.EndsAt = ToStored(e.EndsAt);
        row.State = e.State == ExperimentState.Stopped ? Stopped : Running;
        row.StopReason = e.StopReason;
        row.Description = e.Description;
        row.Alpha = e.Alpha;
    }

    /// <summary>What the row defines, as one comparable value (to tell whether a write changes anything).</summary>
    public static string Definition(ExperimentEntity e) =>
        JsonSerializer.Serialize(new object?[] { e.Name, e.Target, e.Stickiness, e.State, e.StartsAt, e.EndsAt, e.StopReason, e.Description, e.Alpha, e.Variants, e.Guardrails });

    public static IReadOnlyList<ExperimentVariant> ReadVariants(string json) => JsonSerializer.Deserialize<ExperimentVariant[]>(json, Json) ?? [];

    public static IReadOnlyList<ExperimentGuardrail> ReadGuardrails(string json) => JsonSerializer.Deserialize<ExperimentGuardrail[]>(json, Json) ?? [];

    public static string Write<T>(IReadOnlyList<T> items) => JsonSerializer.Serialize(items, Json);

    /// <summary>Running and not ended at <paramref name="now"/>: live, or scheduled to be (one per target at most).</summary>
    public static IQueryable<ExperimentEntity> Unfinished(IQueryable<ExperimentEntity> rows, DateTime now) =>
        rows.Where(e => e.State == Running && (e.EndsAt == null || e.EndsAt > now));

    public static DateTimeOffset? ToOffset(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    public static DateTime? ToStored(DateTimeOffset? value) => value is { } v ? Clock.Stored(v.UtcDateTime) : null;

    /// <summary>What the audit log keeps of an experiment: its definition, with models by id.</summary>
    public static object Audit(ExperimentEntity e) => new
    {
        id = e.Id, name = e.Name, target = e.Target, state = e.State, stop_reason = e.StopReason, stickiness = e.Stickiness,
        starts_at = e.StartsAt, ends_at = e.EndsAt, alpha = e.Alpha, description = e.Description,
        variants = ReadVariants(e.Variants), guardrails = ReadGuardrails(e.Guardrails),
    };
}
