using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>Reads and writes the <c>config_owner</c> row as <see cref="ManagedObjects"/>.</summary>
internal static class ConfigOwnerRows
{
    public static ManagedObjects ToRecord(ConfigOwnerEntity? row) =>
        row is null ? ManagedObjects.None : new ManagedObjects(row.Source, row.Sha256, JsonSerializer.Deserialize<string[]>(row.Objects) ?? []);

    /// <summary>Makes the row say <paramref name="managed"/> (no row for <see cref="ManagedObjects.None"/>).</summary>
    public static async Task WriteAsync(ModelgateDbContext db, ManagedObjects managed, DateTime now, CancellationToken cancellationToken)
    {
        var row = await db.ConfigOwner.SingleOrDefaultAsync(cancellationToken);
        if (managed.IsEmpty)
        {
            if (row is not null)
            {
                db.ConfigOwner.Remove(row);
            }

            return;
        }

        if (row is null)
        {
            row = new ConfigOwnerEntity { Id = 1, Source = "", Sha256 = "", Objects = "[]" };
            db.ConfigOwner.Add(row);
        }

        row.Source = managed.Source;
        row.Sha256 = managed.Sha256;
        row.Objects = JsonSerializer.Serialize(managed.Objects);
        row.AppliedAt = now;
    }
}
