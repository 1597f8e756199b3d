using Modelgate.Core.Resolution;
using Modelgate.Core.Usage;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Ui.Pages;

/// <summary>The console's front page: configuration version, fleet, traffic of the last day, and what each purpose resolves to.</summary>
internal sealed class OverviewModel(CurrentCatalog catalog, InstanceRegistry instances, UsageQuery usage, TimeProvider time) : ConsolePage
{
    public long Version { get; private set; }
    public string Origin { get; private set; } = "";
    public string Source { get; private set; } = "";
    public int Providers { get; private set; }
    public int ActiveProviders { get; private set; }
    public int Models { get; private set; }
    public int ActiveModels { get; private set; }
    public FleetView Fleet { get; private set; } = new(0, true, []);
    public UsageTotals Last24h { get; private set; } = new();
    public IReadOnlyList<ResolutionRow> Resolutions { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var state = catalog.State;
        Version = state.Snapshot.Version;
        Source = state.Origin.ToName();
        Origin = $"from the {Source}, published {Format.When(state.Snapshot.PublishedAt)}";
        Providers = state.Snapshot.Providers.Count;
        ActiveProviders = state.Snapshot.Providers.Values.Count(p => p.IsActive);
        Models = state.Snapshot.Models.Count;
        ActiveModels = state.Snapshot.Models.Values.Count(m => m.IsActive);
        Resolutions = ResolutionRow.From(state);
        try
        {
            Fleet = await instances.ListAsync(HttpContext.RequestAborted);
            var now = time.GetUtcNow();
            var (groups, _) = await usage.RunAsync(new UsageRequest(now.AddHours(-24), now, []), HttpContext.RequestAborted);
            Last24h = groups is [var all, ..] ? all.Totals : new UsageTotals();
        }
        catch (Exception e) when (CatalogMonitor.IsDatabaseUnavailable(e))
        {
            // The catalog in effect is in memory; only the fleet and the traffic need the database.
            DatabaseUnavailable = true;
        }
    }

    public bool DatabaseUnavailable { get; private set; }
}
