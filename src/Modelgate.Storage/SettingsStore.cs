using Microsoft.EntityFrameworkCore;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage;

/// <summary>Small server-wide values kept in the database (e.g. the admin token's hash), shared by every instance.</summary>
public sealed class SettingsStore(IDbContextFactory<ModelgateDbContext> contexts, TimeProvider time)
{
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return (await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == key, cancellationToken))?.Value;
    }

    /// <summary>Stores the value unless the key already has one; returns the value in force (first writer wins).</summary>
    public async Task<string> GetOrAddAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        db.Settings.Add(new SettingEntity { Key = key, Value = value, UpdatedAt = time.UtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return value;
        }
        catch (DbUpdateException)
        {
            // Another instance got there first: its value stands.
            await using var fresh = contexts.CreateDbContext();
            return (await fresh.Settings.AsNoTracking().SingleAsync(s => s.Key == key, cancellationToken)).Value;
        }
    }
}
