using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Catalog;

namespace Modelgate.Storage;

/// <summary>The master key's life: checked against the stored secrets at start, and rotated on request.</summary>
public sealed class SecretKeyMaintenance(IDbContextFactory<ModelgateDbContext> contexts, CatalogTransaction transactions, MasterKeyStore keys, SecretProtector protector, TimeProvider time)
{
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
    /// Re-encrypts every stored secret under the primary key in one transaction. With a key file, a new key is
    /// generated first and the old one dropped once everything is re-encrypted; requests keep working throughout,
    /// since the ring can decrypt both.
    /// </summary>
    public async Task<CatalogResult<RotationResult>> RotateAsync(string actor, CancellationToken cancellationToken)
    {
        var previous = keys.Current.Primary.Id;
        var ring = keys.BeginRotation();
        var result = await transactions.RunAsync<RotationResult>(async db =>
        {
            var providers = await db.Providers.Where(p => p.ApiKeyCiphertext != null).ToListAsync(cancellationToken);
            foreach (var provider in providers)
            {
                var context = SecretContext.ProviderApiKey(provider.Id);
                provider.ApiKeyCiphertext = protector.Protect(protector.Unprotect(provider.ApiKeyCiphertext!, context), context);
            }

            var outcome = new RotationResult(previous, ring.Primary.Id, providers.Count, ring.Source == MasterKeySourceKind.KeyFile ? "key-file" : "environment");
            AuditTrail.Record(db, actor, "secrets.rotate", "master_key", ring.Primary.Id, new { key_id = previous }, outcome, time.UtcNow());
            return outcome;
        }, cancellationToken);
        keys.CompleteRotation();
        return result;
    }
}

/// <summary>What a master key rotation did.</summary>
public sealed record RotationResult(string PreviousKeyId, string KeyId, int ReEncrypted, string KeySource);
