using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Providers;

/// <summary>The providers with status, masked key and limits; each can be tested with a real call.</summary>
internal sealed class ProvidersModel(ProviderStore store, CurrentCatalog catalog, CatalogMonitor monitor, ProviderConnectionTest tester) : ConsolePage
{
    public const int PageSize = 50;

    public Page<ProviderView> Providers { get; private set; } = new([], 0, PageSize, 0);

    public Pager Pager => new(Providers.Total, Providers.Limit, Providers.Offset, "/providers");

    public (string Provider, ConnectionTestResult Result)? Test { get; private set; }

    [BindProperty(SupportsGet = true, Name = "offset")]
    public int Offset { get; set; }

    public async Task OnGetAsync() => Providers = await store.ListAsync(PageSize, Pager.Clamp(Offset), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostTestAsync(Guid id)
    {
        await OnGetAsync();
        // Test what is saved now: a key just replaced on another instance may not have reached this one's catalog yet.
        await monitor.LoadLatestAsync(HttpContext.RequestAborted);
        if (!catalog.State.Snapshot.Providers.TryGetValue(id, out var provider))
        {
            return Refused(CatalogError.NotFound($"no provider with id '{id}'; it may have been deleted"));
        }

        Test = (provider.Name, await tester.RunAsync(provider, HttpContext.RequestAborted));
        return Page();
    }

    public static bool NeedsKey(string type) => ProviderKinds.TryParse(type, out var kind) && kind.RequiresApiKey;
}
