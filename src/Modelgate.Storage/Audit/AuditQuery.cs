using Microsoft.EntityFrameworkCore;
using Modelgate.Storage.Catalog;

namespace Modelgate.Storage.Audit;

/// <summary>An audit row as the API shows it; before/after are the stored JSON snapshots.</summary>
public sealed record AuditEntryView(long Id, DateTime At, string Actor, string Action, string EntityType, string? EntityId, System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After);

/// <summary>Pages through the audit log, newest first.</summary>
public sealed class AuditQuery(CatalogTransaction transactions)
{
    /// <summary>The kinds of thing the log records changes of.</summary>
    public static readonly string[] EntityTypes = ["provider", "model", "default", "fallbacks", "alias", "experiment", "master_key", "config_version", "config_file", "virtual_key"];

    public Task<Page<AuditEntryView>> ListAsync(int limit, int offset, string? entityType, string? entityId, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var query = db.AuditLog.AsNoTracking();
            if (entityType is not null)
            {
                query = query.Where(a => a.EntityType == entityType);
            }

            if (entityId is not null)
            {
                query = query.Where(a => a.EntityId == entityId);
            }

            var total = await query.CountAsync(cancellationToken);
            var rows = await query.OrderByDescending(a => a.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
            return new Page<AuditEntryView>([.. rows.Select(a => new AuditEntryView(a.Id, a.At, a.Actor, a.Action, a.EntityType, a.EntityId, Parse(a.Before), Parse(a.After)))], total, limit, offset);
        });

    private static System.Text.Json.JsonElement? Parse(string? json) =>
        json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}
