namespace Modelgate.Core.Catalog;

/// <summary>One difference between two snapshots: what changed, on which entity, from what to what.</summary>
public sealed record CatalogChange(string Kind, string Entity, string Id, string Name, IReadOnlyDictionary<string, FieldChange> Fields);

/// <summary>A field's value before and after; secrets are shown as <c>(changed)</c>, never as values.</summary>
public sealed record FieldChange(object? Before, object? After);

/// <summary>Works out what changed between two snapshots (added, removed, changed providers, models, keys, defaults, fallbacks, aliases and experiments).</summary>
public static class CatalogDiff
{
    public static IReadOnlyList<CatalogChange> Between(CatalogSnapshot before, CatalogSnapshot after)
    {
        var changes = new List<CatalogChange>();
        Compare(changes, "provider", before.Providers, after.Providers, p => p.Name, ProviderFields);
        Compare(changes, "model", before.Models, after.Models, m => m.ModelId, ModelFields);
        Compare(changes, "virtual_key", before.VirtualKeys.Values.ToDictionary(k => k.Id), after.VirtualKeys.Values.ToDictionary(k => k.Id), k => k.Name, KeyFields);
        foreach (var purpose in before.Defaults.Keys.Union(after.Defaults.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.Defaults.TryGetValue(purpose, out var b) ? Describe(before, b) : null;
            var now = after.Defaults.TryGetValue(purpose, out var a) ? Describe(after, a) : null;
            if (was != now)
            {
                var kind = was is null ? "added" : now is null ? "removed" : "changed";
                changes.Add(new CatalogChange(kind, "default", purpose, purpose, new Dictionary<string, FieldChange> { ["model"] = new(was, now) }));
            }
        }

        foreach (var purpose in before.Fallbacks.Keys.Union(after.Fallbacks.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.Fallbacks.TryGetValue(purpose, out var b) ? string.Join(" > ", b.Select(id => Describe(before, id))) : null;
            var now = after.Fallbacks.TryGetValue(purpose, out var a) ? string.Join(" > ", a.Select(id => Describe(after, id))) : null;
            if (was != now)
            {
                changes.Add(new CatalogChange(was is null ? "added" : now is null ? "removed" : "changed", "fallbacks", purpose, purpose, new Dictionary<string, FieldChange> { ["models"] = new(was, now) }));
            }
        }

        foreach (var name in before.Aliases.Keys.Union(after.Aliases.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.Aliases.TryGetValue(name, out var b) ? AliasFields(b) : [];
            var now = after.Aliases.TryGetValue(name, out var a) ? AliasFields(a) : [];
            // The target is compared by the model's id (renaming the model does not change the alias) and shown with its name.
            var fields = was.Keys.Union(now.Keys).Where(k => !Equals(was.GetValueOrDefault(k), now.GetValueOrDefault(k)))
                .ToDictionary(k => k, k => k == "model"
                    ? new FieldChange(b is null ? null : Describe(before, b.ModelId), a is null ? null : Describe(after, a.ModelId))
                    : new FieldChange(was.GetValueOrDefault(k), now.GetValueOrDefault(k)));
            if (fields.Count > 0)
            {
                changes.Add(new CatalogChange(b is null ? "added" : a is null ? "removed" : "changed", "alias", name, name, fields));
            }
        }

        ExperimentDiff.Add(changes, before, after);
        return changes;
    }

    private static Dictionary<string, object?> AliasFields(ModelAlias alias) => new()
    {
        ["model"] = alias.ModelId, ["description"] = alias.Description, ["deprecated"] = alias.Deprecated,
    };

    internal static string Describe(CatalogSnapshot snapshot, Guid modelId) =>
        snapshot.Models.TryGetValue(modelId, out var model) ? $"{model.ModelId} ({modelId})" : modelId.ToString();

    private static void Compare<T>(List<CatalogChange> changes, string entity, IReadOnlyDictionary<Guid, T> before, IReadOnlyDictionary<Guid, T> after, Func<T, string> name, Func<T, Dictionary<string, object?>> fields)
        where T : class
    {
        foreach (var id in before.Keys.Union(after.Keys).Order())
        {
            before.TryGetValue(id, out var was);
            after.TryGetValue(id, out var now);
            if (Equals(was, now))
            {
                continue;
            }

            var wasFields = was is null ? [] : fields(was);
            var nowFields = now is null ? [] : fields(now);
            var diff = wasFields.Keys.Union(nowFields.Keys)
                .Where(k => !Same(wasFields.GetValueOrDefault(k), nowFields.GetValueOrDefault(k)))
                .ToDictionary(k => k, k => k == "api_key"
                    ? new FieldChange(wasFields.GetValueOrDefault(k) is null ? null : "(set)", nowFields.GetValueOrDefault(k) is null ? null : "(changed)")
                    : new FieldChange(wasFields.GetValueOrDefault(k), nowFields.GetValueOrDefault(k)));
            if (diff.Count == 0)
            {
                continue;
            }

            var kind = was is null ? "added" : now is null ? "removed" : "changed";
            changes.Add(new CatalogChange(kind, entity, id.ToString(), name((now ?? was)!), diff));
        }
    }

    // Lists (shadow_limits) are new objects in every snapshot: the same names in the same order are the same value.
    private static bool Same(object? before, object? after) =>
        before is IReadOnlyList<string> was && after is IReadOnlyList<string> now ? was.SequenceEqual(now) : Equals(before, after);

    // The ciphertext stands for the key: a new ciphertext means the key was set again (or re-encrypted).
    private static Dictionary<string, object?> ProviderFields(ProviderConfig p) => new()
    {
        ["name"] = p.Name, ["type"] = p.Kind.ToName(), ["base_url"] = p.BaseUrl, ["api_key"] = p.ApiKeyCiphertext, ["api_key_mask"] = p.ApiKeyMask,
        ["is_active"] = p.IsActive, ["is_default"] = p.IsDefault, ["requests_per_minute"] = p.Limits.RequestsPerMinute, ["tokens_per_minute"] = p.Limits.TokensPerMinute,
        ["shadow_limits"] = LimitNames.List(p.Limits.Shadow),
    };

    private static Dictionary<string, object?> KeyFields(VirtualKey k) => new()
    {
        ["name"] = k.Name, ["key_prefix"] = k.KeyPrefix, ["allowed_purposes"] = string.Join(",", k.AllowedPurposes), ["allowed_models"] = string.Join(",", k.AllowedModels),
        ["expires_at"] = k.ExpiresAt, ["revoked_at"] = k.RevokedAt, ["budget_usd"] = k.Budget?.AmountUsd,
        ["budget_period"] = k.Budget is { } budget ? Budget.Name(budget.Period) : null,
        ["requests_per_minute"] = k.Limits.RequestsPerMinute, ["tokens_per_minute"] = k.Limits.TokensPerMinute,
        ["concurrent_requests"] = k.Limits.ConcurrentRequests, ["shadow_limits"] = LimitNames.List(k.Limits.Shadow),
    };

    private static Dictionary<string, object?> ModelFields(ModelDefinition m) => new()
    {
        ["provider_id"] = m.ProviderId, ["model_id"] = m.ModelId, ["display_name"] = m.DisplayName, ["type"] = m.Kind.ToName(), ["is_active"] = m.IsActive,
        ["temperature"] = m.Parameters.Temperature, ["top_p"] = m.Parameters.TopP, ["max_tokens"] = m.Parameters.MaxTokens,
        ["input_price_per_million"] = m.Pricing.InputPerMillion, ["output_price_per_million"] = m.Pricing.OutputPerMillion,
        ["cached_input_price_per_million"] = m.Pricing.CachedInputPerMillion, ["context_window"] = m.ContextWindow, ["embedding_dimensions"] = m.EmbeddingDimensions,
        ["requests_per_minute"] = m.Limits.RequestsPerMinute, ["tokens_per_minute"] = m.Limits.TokensPerMinute,
        ["shadow_limits"] = LimitNames.List(m.Limits.Shadow),
    };
}
