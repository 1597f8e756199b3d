using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Defaults;

/// <summary>
/// Every purpose with the model configured for it, the model actually in effect and where that comes from
/// (database, last-known-good, environment). Only models eligible for a purpose are offered.
/// </summary>
internal sealed class DefaultsModel(DefaultsStore store, CurrentCatalog catalog) : ConsolePage
{
    public sealed record Row(string Purpose, ModelView? Configured, ResolvedModel? InEffect, string? Error, string Source);

    public sealed record Choice(Guid Id, string Label);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    [BindProperty(Name = "agent_type")] public string? AgentType { get; set; }

    public async Task OnGetAsync()
    {
        var configured = await store.GetAsync(HttpContext.RequestAborted);
        Rows = [.. ResolutionRow.From(catalog.State).Select(r => new Row(r.Purpose, Configured(configured, r.Purpose), r.Model, r.Error, r.Source))];
    }

    /// <summary>The models that may be the purpose's default right now, by the same rule the store enforces.</summary>
    public IReadOnlyList<Choice> ChoicesFor(string purposeName)
    {
        if (!Purpose.TryParse(purposeName, out var purpose))
        {
            return [];
        }

        var snapshot = catalog.State.Snapshot;
        return [.. snapshot.Models.Values
            .Where(m => snapshot.Providers.TryGetValue(m.ProviderId, out var p)
                && DefaultEligibility.Check(purpose, m.ModelId, m.Kind, m.IsActive, p.Name, p.IsActive, "model_id") is null)
            .Select(m => new Choice(m.Id, $"{m.DisplayName ?? m.ModelId} ({snapshot.Providers[m.ProviderId].Name})"))
            .OrderBy(c => c.Label, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<IActionResult> OnPostSetAsync([FromForm] string purpose, [FromForm(Name = "model_id")] string? modelId)
    {
        if (string.IsNullOrEmpty(modelId))
        {
            await OnGetAsync();
            return Refused(CatalogError.Invalid("model_id", $"choose a model for '{purpose}'"));
        }

        var result = await store.SetAsync(purpose, modelId, Actor, HttpContext.RequestAborted);
        if (result.Value is { } model)
        {
            return Done($"{model.DisplayName ?? model.ModelId} is now the default for {purpose}.", "/defaults");
        }

        await OnGetAsync();
        return Refused(result.Error!);
    }

    public async Task<IActionResult> OnPostClearAsync([FromForm] string purpose)
    {
        var result = await store.ClearAsync(purpose, Actor, HttpContext.RequestAborted);
        if (result.IsSuccess)
        {
            return Done($"The default for {purpose} is unset.", "/defaults");
        }

        await OnGetAsync();
        return Refused(result.Error!);
    }

    public Task<IActionResult> OnPostAddTypeAsync([FromForm(Name = "model_id")] string? modelId) =>
        OnPostSetAsync(Purpose.AgentTypePrefix + (AgentType ?? "").Trim(), modelId);

    private static ModelView? Configured(DefaultsView defaults, string purpose) => purpose switch
    {
        Purpose.ChatName => defaults.Chat,
        Purpose.AgentsName => defaults.Agents,
        Purpose.EmbeddingsName => defaults.Embeddings,
        _ when purpose.StartsWith(Purpose.AgentTypePrefix, StringComparison.Ordinal) =>
            defaults.AgentTypes.GetValueOrDefault(purpose[Purpose.AgentTypePrefix.Length..]),
        _ => null,
    };
}
