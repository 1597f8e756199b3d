using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Instances;

/// <summary>The fleet: each instance's configuration version, how far behind it is, and whether it still reports.</summary>
internal sealed class InstancesModel(InstanceRegistry registry) : ConsolePage
{
    public FleetView Fleet { get; private set; } = new(0, true, []);

    public async Task OnGetAsync() => Fleet = await registry.ListAsync(HttpContext.RequestAborted);
}
