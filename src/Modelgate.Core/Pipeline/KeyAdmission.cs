using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Pipeline;

/// <summary>
/// What a virtual key may do, decided the same way for a gateway call and a direct-mode call that names a key: the
/// key must be usable (not revoked, not expired), within its budget, and allowed the purpose or model asked for; the
/// fallbacks it may reach are those its allow-list also names; and a key with a budget only reaches priced models
/// (a model without prices would make its calls free against the budget).
/// </summary>
public static class KeyAdmission
{
    /// <summary>A revoked or expired key: 401.</summary>
    public static KeyRefusal? Usable(VirtualKey key, DateTimeOffset now) =>
        key.Unusable(now) is { } why ? new KeyRefusal(401, "invalid_api_key", $"Invalid API key: {why}.") : null;

    /// <summary>A key that has spent its budget for the period: 429 until the period resets.</summary>
    public static KeyRefusal? WithinBudget(BudgetState? budget, DateTimeOffset now) =>
        budget is { Exhausted: true }
            ? new KeyRefusal(429, "budget_exceeded",
                $"This API key has spent its {Budget.Name(budget.Period)} budget of {budget.AmountUsd:0.######} USD ({budget.SpentUsd:0.######} USD since {budget.PeriodStart:u}); it resets at {budget.ResetsAt:u}.",
                RetryAfter: budget.ResetsAt - now)
            : null;

    /// <summary>
    /// The models of <paramref name="chain"/> (what <paramref name="requested"/> resolved to, then its fallbacks) the
    /// key may call, in order; or why it may call none. A purpose is checked against both allow-lists; a model asked
    /// for by name needs a key without allow-lists, or that model on its list; an alias, its target on the list, or (not
    /// for a deprecation alias) its own name (<see cref="AllowsAlias"/>).
    /// </summary>
    public static (IReadOnlyList<ResolvedModel>? Chain, KeyRefusal? Refusal) Chain(VirtualKey key, string requested, IReadOnlyList<ResolvedModel> chain)
    {
        var resolved = chain[0];
        var allowed = Purpose.TryParse(requested, out _)
            ? key.Allows(requested, resolved.Model.ModelId)
            : resolved.Alias is { } named && named.Name == requested
                ? AllowsAlias(key, named, resolved.Model.ModelId)
                : key.AllowedModels.Contains(resolved.Model.ModelId) || (key.AllowedPurposes.Count == 0 && key.AllowedModels.Count == 0);
        if (!allowed)
        {
            // A key allowed an old model id that a deprecation alias now takes: say where the name leads, not just "no".
            var detail = resolved.Alias is { Deprecated: true } alias && alias.Name == requested && key.AllowedModels.Contains(requested)
                ? $"This API key may not use '{requested}': '{requested}' is now an alias of '{resolved.Model.ModelId}'; this key may not use '{resolved.Model.ModelId}'."
                : $"This API key may not use '{requested}'.";
            return (null, new KeyRefusal(403, "model_not_allowed", detail, Param: "model"));
        }

        // The fallbacks the key may also reach, in order, after the model the request resolves to.
        var reachable = chain.Where((c, i) => i == 0 || key.AllowedModels.Count == 0 || key.AllowedModels.Contains(c.Model.ModelId)).ToList();
        if (key.Budget is not null)
        {
            reachable.RemoveAll(c => !Priced(c.Model));
            if (reachable.Count == 0 || reachable[0] != resolved)
            {
                return (null, new KeyRefusal(403, "model_unpriced",
                    $"This API key has a budget, and model '{resolved.Model.ModelId}' has no price to count its calls against it; an administrator must set the model's prices.",
                    Param: "model"));
            }
        }

        return (reachable, null);
    }

    /// <summary>
    /// Whether the key may call through the alias: a key without allow-lists may; one with allowed models may when they name
    /// the target, or the alias's own name unless it is a deprecation alias (that name was a model's, and a key allowed the
    /// old model is not thereby allowed its replacement). A key with only allowed purposes reaches no alias.
    /// </summary>
    public static bool AllowsAlias(VirtualKey key, ModelAlias alias, string targetModelId) =>
        (key.AllowedPurposes.Count == 0 && key.AllowedModels.Count == 0)
        || key.AllowedModels.Contains(targetModelId)
        || (!alias.Deprecated && key.AllowedModels.Contains(alias.Name));

    private static bool Priced(ModelDefinition model) =>
        model.Pricing.InputPerMillion is not null && (model.Kind == ModelKind.Embedding || model.Pricing.OutputPerMillion is not null);
}
