using Microsoft.EntityFrameworkCore;
using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;
using Modelgate.Core.ConfigAsCode;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Audit;

namespace Modelgate.Storage.Catalog;

/// <summary>
/// Configuration as code on the server: the catalog as a file (export), what a file would change (plan), and making the
/// catalog match it (apply) as one catalog change: one transaction, one new version, one audit entry naming the file's
/// SHA-256, refused when the catalog moved past the version the plan was based on. Applying the same file again
/// changes nothing and publishes nothing.
/// </summary>
public sealed class ConfigFileStore(CatalogTransaction transactions, SecretProtector protector, BaseUrlPolicy baseUrls, TimeProvider time)
{
    /// <summary>The latest catalog as a configuration document (keys as references, never values).</summary>
    public Task<(ConfigDocument Document, long Version)> ExportAsync(CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var current = await CurrentAsync(db, cancellationToken);
            return (ConfigExport.From(current, time.GetUtcNow()), current.Version);
        });

    /// <summary>
    /// What applying <paramref name="document"/> would change now. <paramref name="keys"/> holds provider keys by provider
    /// name, as the file's references resolved to; a provider left out keeps the key it has.
    /// </summary>
    public Task<CatalogResult<ConfigPlan>> PlanAsync(ConfigDocument document, IReadOnlyDictionary<string, string> keys, bool prune, string source, string sha256, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var current = await CurrentAsync(db, cancellationToken);
            var (target, error) = Target(current, document, keys, prune, source, sha256, planning: true);
            return target is null ? error! : (CatalogResult<ConfigPlan>)Plan(current, target, document, source, sha256);
        });

    /// <summary>
    /// What was changed outside the file: the plan of applying it (objects it names that differ or are missing), and as
    /// <c>removed</c> each object of the catalog it does not name (what a pruning apply would delete) — listed, never
    /// refused, so drift is reported even where a pruning apply would be refused (a running experiment, say).
    /// </summary>
    public Task<CatalogResult<ConfigPlan>> DriftAsync(ConfigDocument document, IReadOnlyDictionary<string, string> keys, string source, string sha256, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var current = await CurrentAsync(db, cancellationToken);
            var (target, error) = Target(current, document, keys, prune: false, source, sha256, planning: true);
            if (target is null)
            {
                return error!;
            }

            var plan = Plan(current, target, document, source, sha256);
            return (CatalogResult<ConfigPlan>)(plan with { Changes = [.. plan.Changes, .. NotInFile(current, document)] });
        });

    /// <summary>
    /// Makes the catalog match <paramref name="document"/>; with <paramref name="basedOnVersion"/>, refused when another version
    /// was published since (checked inside the serialized write).
    /// </summary>
    public async Task<CatalogResult<ConfigApplied>> ApplyAsync(
        ConfigDocument document, IReadOnlyDictionary<string, string> keys, bool prune, string source, string sha256, long? basedOnVersion, string actor, CancellationToken cancellationToken)
    {
        var (result, published) = await transactions.RunAndPublishAsync<ConfigPlan>(async db =>
        {
            var current = await CurrentAsync(db, cancellationToken);
            if (basedOnVersion is { } expected && expected != current.Version)
            {
                return CatalogError.Conflict(
                    $"The configuration changed since the plan (now v{current.Version}, the plan was worked out against v{expected}). Nothing was applied; look at the new plan and apply again.");
            }

            var (target, error) = Target(current, document, keys, prune, source, sha256, planning: false);
            if (target is null)
            {
                return error!;
            }

            var plan = Plan(current, target, document, source, sha256);
            if (!plan.HasChanges)
            {
                return plan;
            }

            var now = time.UtcNow();
            await CatalogRestore.ApplyAsync(db, target, target.Providers.Values.ToDictionary(p => p.Id, p => p.ApiKeyCiphertext), now, actor, cancellationToken);
            AuditTrail.Record(db, actor, "config.apply", "config_file", sha256, new { version = current.Version },
                new
                {
                    name = Path.GetFileName(source), source, sha256, prune,
                    created = plan.Changes.Count(c => c.Kind == "added"), changed = plan.Changes.Count(c => c.Kind == "changed"), deleted = plan.Changes.Count(c => c.Kind == "removed"),
                }, now);
            return plan;
        }, cancellationToken);
        return result.Value is { } applied ? new ConfigApplied(applied, published?.Version) : result.Error!;
    }

    private (CatalogSnapshot? Target, CatalogError? Error) Target(
        CatalogSnapshot current, ConfigDocument document, IReadOnlyDictionary<string, string> keys, bool prune, string source, string sha256, bool planning)
    {
        // A provider whose key was not sent keeps the one it has: a plan can be worked out without the secrets. Only the
        // providers the file gives a key reference are looked at (the others' keys are not read by the target).
        var complete = new Dictionary<string, string>(keys, StringComparer.Ordinal);
        var referenced = document.Providers.Where(p => p.ApiKey is not null).Select(p => p.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var provider in current.Providers.Values.Where(p => referenced.Contains(p.Name)))
        {
            if (!complete.ContainsKey(provider.Name) && provider.ApiKeyCiphertext is { } stored)
            {
                try
                {
                    complete[provider.Name] = protector.Unprotect(stored, SecretContext.ProviderApiKey(provider.Id));
                }
                catch (SecretDecryptionException)
                {
                    // Not readable under the current master key: the file's reference has to be resolved and sent.
                }
            }
        }

        if (planning)
        {
            // A plan may be worked out without the secrets (a pull request's check, drift): a new provider's key not sent
            // shows as "(changed)", and only an apply needs its value.
            foreach (var provider in document.Providers)
            {
                if (provider is { Name: { } name, ApiKey: { } reference } && ConfigKeyReferences.IsReference(reference) && !complete.ContainsKey(name))
                {
                    complete[name] = "(not resolved for the plan)";
                }
            }
        }

        var (target, errors) = ConfigTarget.Build(current, document, complete, protector, baseUrls, prune, time.GetUtcNow());
        if (target is null)
        {
            var byPath = errors.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
            return (null, new CatalogError(CatalogErrorKind.Invalid, "The configuration file is not valid", string.Join("; ", errors.Take(5).Select(e => e.ToString())), byPath));
        }

        return (target.WithManaged(ConfigOwnership.Of(document, source, sha256)), null);
    }

    private ConfigPlan Plan(CatalogSnapshot current, CatalogSnapshot target, ConfigDocument document, string source, string sha256) =>
        new(current.Version, [.. CatalogDiff.Between(current, target).Select(WithoutMasks)], !current.Managed.SameAs(target.Managed), source, sha256,
            ConfigTarget.LeftAsTheyAre(current, document, time.GetUtcNow()));

    // The catalog's objects a document does not name, as removals.
    private IEnumerable<CatalogChange> NotInFile(CatalogSnapshot current, ConfigDocument document)
    {
        var owned = ConfigOwnership.Of(document, "", "");
        var none = new Dictionary<string, FieldChange>();
        foreach (var provider in current.Providers.Values.Where(p => !owned.Contains(ManagedObjects.Provider, p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            yield return new CatalogChange("removed", "provider", provider.Id.ToString(), provider.Name, none);
        }

        foreach (var model in current.Models.Values.Where(m => current.Providers.ContainsKey(m.ProviderId)).Select(m => (m, Name: $"{current.Providers[m.ProviderId].Name}/{m.ModelId}"))
                     .Where(m => !owned.Contains(ManagedObjects.Model, m.Name)).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            yield return new CatalogChange("removed", "model", model.m.Id.ToString(), model.Name, none);
        }

        foreach (var purpose in current.Defaults.Keys.Where(p => !owned.Contains(ManagedObjects.Default, p)).Order(StringComparer.Ordinal))
        {
            yield return new CatalogChange("removed", "default", purpose, purpose, none);
        }

        foreach (var purpose in current.Fallbacks.Keys.Where(p => !owned.Contains(ManagedObjects.Fallback, p)).Order(StringComparer.Ordinal))
        {
            yield return new CatalogChange("removed", "fallbacks", purpose, purpose, none);
        }

        foreach (var alias in current.Aliases.Keys.Where(a => !owned.Contains(ManagedObjects.Alias, a)).Order(StringComparer.Ordinal))
        {
            yield return new CatalogChange("removed", "alias", alias, alias, none);
        }

        var now = time.GetUtcNow();
        foreach (var experiment in current.Experiments.Values.Where(e => ConfigExport.InFile(e, now) && !owned.Contains(ManagedObjects.Experiment, e.Name)).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            yield return new CatalogChange("removed", "experiment", experiment.Id.ToString(), experiment.Name, none);
        }
    }

    // A plan shows a key only as "(changed)": not even its mask, which the file never holds either.
    private static CatalogChange WithoutMasks(CatalogChange change) =>
        change.Fields.ContainsKey("api_key_mask") ? change with { Fields = change.Fields.Where(f => f.Key != "api_key_mask").ToDictionary() } : change;

    // The catalog as the tables hold it, numbered as the latest published version.
    private async Task<CatalogSnapshot> CurrentAsync(ModelgateDbContext db, CancellationToken cancellationToken)
    {
        var version = await db.ConfigVersions.MaxAsync(v => (long?)v.Version, cancellationToken) ?? 0;
        return await CatalogSnapshotReader.ReadAsync(db, version, time.GetUtcNow(), cancellationToken);
    }
}
