using Microsoft.AspNetCore.Mvc;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Experiments;

/// <summary>Asks for confirmation (and a reason, kept in the audit log and shown with the experiment), then stops it for good.</summary>
internal sealed class ExperimentStopModel(ExperimentStore store) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty(Name = "reason")] public string? Reason { get; set; }

    public ExperimentView? Experiment { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();
        var result = await store.StopAsync(Experiment!.Id.ToString(), reason, Actor, HttpContext.RequestAborted);
        return result.Value is { } stopped
            ? Done($"Experiment {stopped.Name} stopped: calls to {stopped.Target} go to the target as configured.", $"/experiments/{stopped.Id}")
            : Refused(result.Error!);
    }

    private async Task<bool> LoadAsync()
    {
        Experiment = Guid.TryParse(Id, out _) ? (await store.GetAsync(Id, HttpContext.RequestAborted)).Value : null;
        return Experiment is not null;
    }
}
