using Microsoft.EntityFrameworkCore;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage;

/// <summary>
/// The Data Protection key ring's rows. Synchronous because ASP.NET Core's key repository interface is; it is read
/// when the key ring is (re)loaded, about once a day, and written when a key is created.
/// </summary>
public sealed class DataProtectionKeyStore(IDbContextFactory<ModelgateDbContext> contexts, TimeProvider time)
{
    /// <summary>The element of a stored key that holds its master-key ciphertext (in a child <c>value</c>).</summary>
    public const string EncryptedElement = "encryptedKey";

    public IReadOnlyList<string> All()
    {
        using var db = contexts.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList();
    }

    /// <summary>Adds a key; a second instance storing the same key (same name) leaves the first one's row.</summary>
    public void Add(string friendlyName, string xml)
    {
        using var db = contexts.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyEntity { FriendlyName = friendlyName, Xml = xml, CreatedAt = time.UtcNow() });
        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException) when (db.DataProtectionKeys.AsNoTracking().Any(k => k.FriendlyName == friendlyName))
        {
        }
    }
}
