using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Catalog;

/// <summary>Reads and changes providers; every change is validated, serialized, audited and atomic.</summary>
public sealed class ProviderStore(CatalogTransaction transactions, SecretProtector secrets, BaseUrlPolicy baseUrls, TimeProvider time)
{
    private const string Entity = "provider";

    public Task<Page<ProviderView>> ListAsync(int limit, int offset, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var total = await db.Providers.CountAsync(cancellationToken);
            var rows = await db.Providers.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Skip(offset).Take(limit)
                .Select(p => new { Provider = p, Models = p.Models.Count }).ToListAsync(cancellationToken);
            return new Page<ProviderView>([.. rows.Select(r => ToView(r.Provider, r.Models))], total, limit, offset);
        });

    public Task<ProviderView?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        transactions.ReadAsync(async db =>
        {
            var row = await db.Providers.Where(p => p.Id == id).Select(p => new { Provider = p, Models = p.Models.Count }).SingleOrDefaultAsync(cancellationToken);
            return row is null ? null : ToView(row.Provider, row.Models);
        });

    public Task<CatalogResult<ProviderView>> CreateAsync(ProviderChanges changes, string actor, CancellationToken cancellationToken)
    {
        var errors = ProviderValidator.Validate(changes, creating: true, baseUrls);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ProviderView>>(CatalogError.Invalid(errors));
        }

        ProviderKinds.TryParse(changes.Type.Value, out var kind);
        ProviderValidator.ValidateResult(errors, kind!, changes.BaseUrl.Or(null));
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ProviderView>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<ProviderView>(async db =>
        {
            var name = changes.Name.Value!;
            if (await db.Providers.AnyAsync(p => p.Name == name, cancellationToken))
            {
                return CatalogError.Conflict($"a provider named '{name}' already exists; choose another name", "name");
            }

            var now = time.UtcNow();
            var provider = new ProviderEntity
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                Type = kind!.Name,
                BaseUrl = changes.BaseUrl.Or(null),
                IsActive = changes.IsActive.Or(true),
                RequestsPerMinute = changes.RequestsPerMinute.Or(null),
                TokensPerMinute = changes.TokensPerMinute.Or(null),
                ShadowLimits = LimitNames.Or(changes.ShadowLimits, LimitKinds.None),
                CreatedAt = now,
                UpdatedAt = now,
            };
            SetApiKey(provider, changes.ApiKey.Or(null));
            if (changes.IsDefault.Or(false))
            {
                await TakeDefaultFlagAsync(db, provider, actor, now, cancellationToken);
            }

            db.Providers.Add(provider);
            var view = ToView(provider, 0);
            AuditTrail.Record(db, actor, "provider.create", Entity, provider.Id.ToString(), null, view, now);
            return view;
        }, cancellationToken);
    }

    public Task<CatalogResult<ProviderView>> UpdateAsync(Guid id, ProviderChanges changes, int? ifMatch, bool force, string actor, CancellationToken cancellationToken)
    {
        var errors = ProviderValidator.Validate(changes, creating: false, baseUrls);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<CatalogResult<ProviderView>>(CatalogError.Invalid(errors));
        }

        return transactions.RunAsync<ProviderView>(async db =>
        {
            var provider = await db.Providers.Include(p => p.Models).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (provider is null)
            {
                return CatalogError.NotFound($"no provider with id '{id}'");
            }

            if (ifMatch is { } expected && expected != provider.Revision)
            {
                return CatalogError.Stale(Entity, provider.Revision);
            }

            var before = ToView(provider, provider.Models.Count);
            if (changes.Name is { HasValue: true, Value: { } name } && name != provider.Name)
            {
                if (await db.Providers.AnyAsync(p => p.Name == name && p.Id != id, cancellationToken))
                {
                    return CatalogError.Conflict($"a provider named '{name}' already exists; choose another name", "name");
                }

                provider.Name = name;
            }

            if (changes.Type is { HasValue: true, Value: { } type } && ProviderKinds.TryParse(type, out var newKind))
            {
                provider.Type = newKind.Name;
            }

            provider.BaseUrl = changes.BaseUrl.Or(provider.BaseUrl);
            // A stored type this version does not know (written by a newer one) is not checked against rules it cannot
            // know: renaming or deactivating such a provider must still work.
            if (ProviderKinds.TryParse(provider.Type, out var kind))
            {
                var resultErrors = new Core.Validation.ValidationErrors();
                ProviderValidator.ValidateResult(resultErrors, kind, provider.BaseUrl);
                if (!resultErrors.IsEmpty)
                {
                    return CatalogError.Invalid(resultErrors);
                }
            }

            if (changes.ApiKey.HasValue)
            {
                SetApiKey(provider, changes.ApiKey.Value);
            }

            if (changes.IsActive is { HasValue: true, Value: false } && provider.IsActive)
            {
                var dependents = await db.PurposeDefaults.Where(d => d.Model!.ProviderId == id).ToListAsync(cancellationToken);
                // The aliases that serve now (their target active) and could not once the provider is inactive. Forced, they
                // stay, failing with a message naming them, and answer again once the provider is active again.
                var aliases = await db.ModelAliases.Where(a => a.Model!.ProviderId == id && a.Model.IsActive).OrderBy(a => a.Name)
                    .Select(a => a.Name).ToListAsync(cancellationToken);
                if ((dependents.Count > 0 || aliases.Count > 0) && !force)
                {
                    var serves = string.Join(" and ", new[]
                    {
                        dependents.Count > 0 ? $"the default model for {Purposes(dependents)}" : null,
                        aliases.Count > 0 ? $"alias {AliasStore.Names(aliases)}" : null,
                    }.OfType<string>());
                    var first = string.Join(" and ", new[]
                    {
                        dependents.Count > 0 ? "set other defaults" : null,
                        aliases.Count > 0 ? "point the aliases at another model (PUT /api/v1/aliases/{name})" : null,
                    }.OfType<string>());
                    var forced = (dependents.Count > 0 ? " and clear those defaults" : "")
                        + (aliases.Count > 0 ? " (the aliases stay, and answer again once it is active)" : "");
                    return CatalogError.Forceable(
                        $"provider '{provider.Name}' serves {serves}; {first} first, or pass ?force=true to deactivate it{forced}",
                        "is_active");
                }

                var experiments = await ExperimentGuards.UsingAsync(db, [.. provider.Models.Select(m => m.Id)], time.UtcNow(), cancellationToken);
                if (experiments.Count > 0 && !force)
                {
                    return CatalogError.Forceable(
                        $"provider '{provider.Name}' serves {ExperimentGuards.Describe(experiments)}; stop them first (POST /api/v1/experiments/{{id}}/stop), "
                        + "or pass ?force=true to deactivate it and stop them",
                        "is_active");
                }

                await ModelViews.ClearDefaultsAsync(db, dependents, actor, time.UtcNow(), cancellationToken);
                ExperimentGuards.StopAll(db, experiments.Select(e => e.Experiment), $"provider '{provider.Name}' was deactivated (forced by {actor})", actor, time.UtcNow());
            }

            provider.IsActive = changes.IsActive.Or(provider.IsActive);
            if (changes.IsDefault.HasValue && changes.IsDefault.Value != provider.IsDefault)
            {
                if (changes.IsDefault.Value)
                {
                    await TakeDefaultFlagAsync(db, provider, actor, time.UtcNow(), cancellationToken);
                }

                provider.IsDefault = changes.IsDefault.Value;
            }

            provider.RequestsPerMinute = changes.RequestsPerMinute.Or(provider.RequestsPerMinute);
            provider.TokensPerMinute = changes.TokensPerMinute.Or(provider.TokensPerMinute);
            provider.ShadowLimits = LimitNames.Or(changes.ShadowLimits, provider.ShadowLimits);
            var now = time.UtcNow();
            provider.Revision++;
            provider.UpdatedAt = now;
            var view = ToView(provider, provider.Models.Count);
            AuditTrail.Record(db, actor, "provider.update", Entity, id.ToString(), before, view, now);
            return view;
        }, cancellationToken);
    }

    public Task<CatalogResult<ProviderView>> DeleteAsync(Guid id, int? ifMatch, bool force, string actor, CancellationToken cancellationToken) =>
        transactions.RunAsync<ProviderView>(async db =>
        {
            var provider = await db.Providers.Include(p => p.Models).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (provider is null)
            {
                return CatalogError.NotFound($"no provider with id '{id}'");
            }

            if (ifMatch is { } expected && expected != provider.Revision)
            {
                return CatalogError.Stale(Entity, provider.Revision);
            }

            var dependents = await db.PurposeDefaults.Where(d => d.Model!.ProviderId == id).ToListAsync(cancellationToken);
            var aliases = await db.ModelAliases.Where(a => a.Model!.ProviderId == id).OrderBy(a => a.Name).ToListAsync(cancellationToken);
            var now = time.UtcNow();
            var experiments = await ExperimentGuards.UsingAsync(db, [.. provider.Models.Select(m => m.Id)], now, cancellationToken);
            if (provider.Models.Count > 0 && !force)
            {
                var names = string.Join(", ", provider.Models.Take(5).Select(m => $"'{m.ModelId}'")) + (provider.Models.Count > 5 ? ", ..." : "");
                var purposes = dependents.Count > 0 ? $"; they are the default for {Purposes(dependents)}" : "";
                var targets = aliases.Count > 0 ? $"; they are the target of alias {AliasStore.Names(aliases.Select(a => a.Name))}" : "";
                var running = experiments.Count > 0 ? $"; they serve {ExperimentGuards.Describe(experiments)}" : "";
                var cost = new[] { dependents.Count > 0 ? "clear those defaults" : null, aliases.Count > 0 ? "remove those aliases" : null, experiments.Count > 0 ? "stop those experiments" : null }
                    .OfType<string>().ToList();
                return CatalogError.Forceable(
                    $"provider '{provider.Name}' has {provider.Models.Count} model(s) ({names}){purposes}{targets}{running}. Delete them first, or pass ?force=true to delete the provider with its models"
                    + (cost.Count switch { 0 => "", 1 => " and " + cost[0], _ => ", " + string.Join(", ", cost.SkipLast(1)) + " and " + cost[^1] }));
            }

            var before = ToView(provider, provider.Models.Count);
            await ModelViews.ClearDefaultsAsync(db, dependents, actor, now, cancellationToken);
            ExperimentGuards.StopAll(db, experiments.Select(e => e.Experiment), $"provider '{provider.Name}' was deleted (forced by {actor})", actor, now);
            ExperimentGuards.StopAll(db, await ExperimentGuards.OnAliasesAsync(db, [.. aliases.Select(a => a.Name)], now, cancellationToken),
                $"its target alias was deleted with provider '{provider.Name}' (forced by {actor})", actor, now);
            AliasStore.Remove(db, aliases, actor, now);
            foreach (var model in provider.Models)
            {
                AuditTrail.Record(db, actor, "model.delete", "model", model.Id.ToString(), ModelViews.ToView(model, []), null, now);
            }

            db.Models.RemoveRange(provider.Models);
            db.Providers.Remove(provider);
            AuditTrail.Record(db, actor, "provider.delete", Entity, id.ToString(), before, null, now);
            return before;
        }, cancellationToken);

    internal static ProviderView ToView(ProviderEntity p, int modelCount) => new(
        p.Id, p.Name, p.Type, p.BaseUrl, p.ApiKeyCiphertext is not null, p.ApiKeyMask, p.IsActive, p.IsDefault,
        p.RequestsPerMinute, p.TokensPerMinute, LimitNames.List(p.ShadowLimits), modelCount, p.CreatedAt, p.UpdatedAt, p.Revision);

    internal static string Purposes(IEnumerable<PurposeDefaultEntity> defaults) =>
        string.Join(", ", defaults.Select(d => $"'{d.Purpose}'").Order(StringComparer.Ordinal));

    private void SetApiKey(ProviderEntity provider, string? apiKey)
    {
        provider.ApiKeyCiphertext = apiKey is null ? null : secrets.Protect(apiKey, SecretContext.ProviderApiKey(provider.Id));
        provider.ApiKeyMask = apiKey is null ? null : SecretMask.Mask(apiKey);
    }

    // Only one provider carries the default flag; the partial unique index enforces it, this moves it.
    private static async Task TakeDefaultFlagAsync(ModelgateDbContext db, ProviderEntity provider, string actor, DateTime now, CancellationToken cancellationToken)
    {
        var holders = await db.Providers.Include(p => p.Models).Where(p => p.IsDefault && p.Id != provider.Id).ToListAsync(cancellationToken);
        foreach (var holder in holders)
        {
            var before = ToView(holder, holder.Models.Count);
            holder.IsDefault = false;
            holder.Revision++;
            holder.UpdatedAt = now;
            AuditTrail.Record(db, actor, "provider.update", Entity, holder.Id.ToString(), before, ToView(holder, holder.Models.Count), now);
        }

        if (holders.Count > 0)
        {
            // The old holder must lose the flag before the new one gains it, or the unique index objects.
            await db.SaveChangesAsync(cancellationToken);
        }

        provider.IsDefault = true;
    }
}
