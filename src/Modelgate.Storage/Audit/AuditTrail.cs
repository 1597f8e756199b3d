using System.Text.Json;
using System.Text.Json.Serialization;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Audit;

/// <summary>
/// Adds audit rows to the unit of work of the change they describe, so both commit or neither does.
/// Snapshots are the API views, which carry no secret (keys appear only as masks).
/// </summary>
public static class AuditTrail
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Record(ModelgateDbContext db, string actor, string action, string entityType, string? entityId, object? before, object? after, DateTime at) =>
        db.AuditLog.Add(new AuditEntryEntity
        {
            At = at,
            Actor = actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), JsonOptions),
            After = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), JsonOptions),
        });
}
