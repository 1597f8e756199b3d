using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Catalog;

namespace Modelgate.Storage;

/// <summary>The master key's life: checked against the stored secrets at start, and rotated on request.</summary>
public sealed class SecretKeyMaintenance(IDbContextFactory<ModelgateDbContext> contexts, CatalogTransaction transactions, MasterKeyStore keys, SecretProtector protector, TimeProvider time)
{
    private readonly SemaphoreSlim _rotation = new(1, 1);

    /// <summary>
    /// Loads the master key and proves it can read what is stored. Refuses (throws <see cref="MasterKeyException"/>)
    /// when encrypted keys exist but no master key is configured, or when they were encrypted under a key not configured.
    /// Never falls back to plaintext.
    /// </summary>
    public async Task LoadAndVerifyAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var ciphertexts = await db.Providers.Where(p => p.ApiKeyCiphertext != null).Select(p => p.ApiKeyCiphertext!).ToListAsync(cancellationToken);
        if (!keys.TryLoad(createIfMissing: ciphertexts.Count == 0))
        {
            throw new MasterKeyException(
                $"The database holds {ciphertexts.Count} encrypted provider key(s) but no master key is configured. " +
                $"Set MODELGATE_MASTER_KEY to the key they were encrypted with, or restore the key file {keys.KeyFilePath}. Modelgate will not start without it.");
        }

        var unknown = ciphertexts.Select(c => SecretProtector.KeyIdOf(c) ?? "(not encrypted)").Distinct().Where(id => keys.Current.Find(id) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new MasterKeyException(
                $"Stored provider keys were encrypted with master key(s) {string.Join(", ", unknown)}, but the configured master key is {keys.Current.Primary.Id}. " +
                "Set MODELGATE_MASTER_KEY to the right key (or list the old one in MODELGATE_PREVIOUS_MASTER_KEYS). Modelgate will not start with a key that cannot read its secrets.");
        }
    }

    /// <summary>
    /// Re-encrypts every stored secret (provider keys, and the keys inside every stored catalog version) under
    /// the primary key in one transaction. With a key file, a new key is generated first and the old one dropped
    /// once everything is re-encrypted; requests keep working throughout, since the ring can decrypt both.
    /// Rotations never overlap; one that fails leaves the key ring and the database as they were.
    /// </summary>
    public async Task<CatalogResult<RotationResult>> RotateAsync(string actor, CancellationToken cancellationToken)
    {
        await _rotation.WaitAsync(cancellationToken);
        try
        {
            var before = keys.Current;
            var ring = keys.BeginRotation();
            CatalogResult<RotationResult> result;
            try
            {
                result = await transactions.RunAsync<RotationResult>(db => ReEncryptAsync(db, before.Primary.Id, ring, actor, cancellationToken), cancellationToken);
            }
            catch
            {
                keys.Restore(before);
                throw;
            }

            keys.CompleteRotation();
            return result;
        }
        finally
        {
            _rotation.Release();
        }
    }

    private async Task<CatalogResult<RotationResult>> ReEncryptAsync(ModelgateDbContext db, string previous, MasterKeyRing ring, string actor, CancellationToken cancellationToken)
    {
        var providers = await db.Providers.Where(p => p.ApiKeyCiphertext != null).ToListAsync(cancellationToken);
        foreach (var provider in providers)
        {
            var context = SecretContext.ProviderApiKey(provider.Id);
            provider.ApiKeyCiphertext = protector.Protect(protector.Unprotect(provider.ApiKeyCiphertext!, context), context);
        }

        // Older catalog versions keep their keys too (for rollback), so they move to the new key as well.
        foreach (var version in await db.ConfigVersions.ToListAsync(cancellationToken))
        {
            var snapshot = CatalogSnapshotJson.FromGzip(version.Snapshot);
            var reEncrypted = snapshot.Providers.Values.Select(p => p.ApiKeyCiphertext is null ? p : p with
            {
                ApiKeyCiphertext = protector.Protect(protector.Unprotect(p.ApiKeyCiphertext, SecretContext.ProviderApiKey(p.Id)), SecretContext.ProviderApiKey(p.Id)),
            });
            version.Snapshot = CatalogSnapshotJson.ToGzip(new CatalogSnapshot(
                snapshot.Version, snapshot.PublishedAt, reEncrypted, snapshot.Models.Values, snapshot.Defaults, snapshot.VirtualKeys.Values, snapshot.Fallbacks, snapshot.Aliases.Values,
                snapshot.Experiments.Values) { Managed = snapshot.Managed });
        }

        // The console's session-signing keys are encrypted with the master key too.
        foreach (var key in await db.DataProtectionKeys.ToListAsync(cancellationToken))
        {
            key.Xml = ReEncryptKeyXml(key.Xml);
        }

        var outcome = new RotationResult(previous, ring.Primary.Id, providers.Count, ring.Source == MasterKeySourceKind.KeyFile ? "key-file" : "environment");
        AuditTrail.Record(db, actor, "secrets.rotate", "master_key", ring.Primary.Id, new { key_id = previous }, outcome, time.UtcNow());
        return outcome;
    }

    // A key the current ring cannot read (written under a master key since dropped) stays as it is: it is unusable
    // either way, and Data Protection makes a new one.
    private string ReEncryptKeyXml(string xml)
    {
        var element = XElement.Parse(xml);
        foreach (var value in element.Descendants(DataProtectionKeyStore.EncryptedElement).Select(e => e.Element("value")).OfType<XElement>())
        {
            try
            {
                value.Value = protector.Protect(protector.Unprotect(value.Value, SecretContext.DataProtectionKeyRing), SecretContext.DataProtectionKeyRing);
            }
            catch (SecretDecryptionException)
            {
                return xml;
            }
        }

        return element.ToString(SaveOptions.DisableFormatting);
    }
}

/// <summary>What a master key rotation did.</summary>
public sealed record RotationResult(string PreviousKeyId, string KeyId, int ReEncrypted, string KeySource);
