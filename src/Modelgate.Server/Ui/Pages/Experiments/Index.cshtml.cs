using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Experiments;

/// <summary>Every experiment, newest first: its target, phase now, split and why it stopped.</summary>
internal sealed class ExperimentsModel(ExperimentStore store) : ConsolePage
{
    public IReadOnlyList<ExperimentView> Experiments { get; private set; } = [];

    public async Task OnGetAsync() => Experiments = await store.ListAsync(HttpContext.RequestAborted);
}
