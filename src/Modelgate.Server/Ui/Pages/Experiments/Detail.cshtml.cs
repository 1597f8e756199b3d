using Microsoft.AspNetCore.Mvc;
using Modelgate.Server.Experiments;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Experiments;

/// <summary>
/// One experiment: its definition, the split as configured and as it came out, each variant's results, the comparisons
/// with the control, the guardrails and hourly charts; links to stop and promote (each confirmed on its own page), and
/// delete once it no longer runs.
/// </summary>
internal sealed class ExperimentDetailModel(ExperimentStore store, ExperimentResultsReader reader) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty(Name = "revision")] public int? Revision { get; set; }

    public ExperimentView? Experiment { get; private set; }

    /// <summary>Null until this instance runs the catalog version that added the experiment (within a second or so).</summary>
    public ExperimentResults? Results { get; private set; }

    public ExperimentHours Hours => new(Results?.Variants ?? []);

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var result = await store.DeleteAsync(Experiment!.Id.ToString(), Revision, Actor, HttpContext.RequestAborted);
        return result.IsSuccess ? Done($"Experiment {Experiment.Name} deleted; its usage records stay.", "/experiments") : Refused(result.Error!);
    }

    /// <summary>The calls a split variant got, and its share of all split calls.</summary>
    public (long Calls, double? Share) Observed(string variant)
    {
        var split = Results?.Variants.Where(v => !v.Shadow).ToList() ?? [];
        var total = split.Sum(v => v.Calls);
        var calls = Results?.Variants.FirstOrDefault(v => v.Name == variant)?.Calls ?? 0;
        return (calls, total == 0 ? null : (double)calls / total);
    }

    private async Task<bool> LoadAsync()
    {
        if (!Guid.TryParse(Id, out _) || (await store.GetAsync(Id, HttpContext.RequestAborted)).Value is not { } experiment)
        {
            return false;
        }

        Experiment = experiment;
        Results = await reader.ReadAsync(Id, null, null, HttpContext.RequestAborted);
        return true;
    }
}
