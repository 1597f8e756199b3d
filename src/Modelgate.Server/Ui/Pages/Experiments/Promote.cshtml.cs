using Microsoft.AspNetCore.Mvc;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Experiments;

/// <summary>
/// Says what promoting a variant changes (the purpose's default or the alias's model, the experiment stopping, and that
/// a configuration rollback undoes both), then promotes it on confirmation.
/// </summary>
internal sealed class ExperimentPromoteModel(ExperimentStore store) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty(SupportsGet = true, Name = "variant")] public string? Variant { get; set; }

    public ExperimentView? Experiment { get; private set; }

    public ExperimentVariantView? Chosen => Experiment?.Variants.FirstOrDefault(v => string.Equals(v.Name, Variant, StringComparison.OrdinalIgnoreCase));

    /// <summary>e.g. "purpose 'chat' will default to model 'gpt-4o-mini'; the experiment stops; a config rollback undoes it".</summary>
    public string Change
    {
        get
        {
            var (e, v) = (Experiment!, Chosen!);
            var move = v.ModelId is null
                ? $"variant '{v.Name}' uses the target as configured, so nothing moves"
                : e.TargetKind == "purpose"
                    ? $"purpose '{e.Target}' will default to model '{v.ModelName ?? v.ModelId.ToString()}'"
                    : $"alias '{e.Target}' will stand for model '{v.ModelName ?? v.ModelId.ToString()}'";
            return $"{move}; the experiment stops; a config rollback undoes it";
        }
    }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var change = Chosen is null ? null : Change;
        var result = await store.PromoteAsync(Experiment!.Id.ToString(), Variant, Actor, HttpContext.RequestAborted);
        return result.Value is { } promoted
            ? Done($"Promoted variant {Chosen?.Name ?? Variant}: {change}.", $"/experiments/{promoted.Id}")
            : Refused(result.Error!);
    }

    private async Task<bool> LoadAsync()
    {
        Experiment = Guid.TryParse(Id, out _) ? (await store.GetAsync(Id, HttpContext.RequestAborted)).Value : null;
        return Experiment is not null;
    }
}
