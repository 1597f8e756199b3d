using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.History;

/// <summary>Asks for confirmation, listing the changes a rollback undoes, then rolls back (POST with the CSRF token).</summary>
internal sealed class RollbackModel(ConfigVersionStore store) : ConsolePage
{
    private const int MaxListed = 200;

    [BindProperty(SupportsGet = true)] public long Version { get; set; }

    public ConfigVersionView? Target { get; private set; }

    public IReadOnlyList<ConfigVersionView> Undone { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var versions = (await store.ListAsync(MaxListed, 0, HttpContext.RequestAborted)).Data;
        var diff = await store.DiffAsync(Version, HttpContext.RequestAborted);
        if (diff.Value is null)
        {
            return Refused(diff.Error!);
        }

        Target = diff.Value.Version;
        Undone = [.. versions.Where(v => v.Version > Version)];
        return Target.IsCurrent ? Refused(CatalogError.Conflict($"v{Version} is already the current version; there is nothing to roll back")) : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await store.RollbackAsync(Version, Actor, HttpContext.RequestAborted);
        return result.Value is { } published
            ? Done($"Rolled back to v{Version}: published as v{published.Version}.", "/history")
            : await RefusedWithPageAsync(result.Error!);
    }

    private async Task<IActionResult> RefusedWithPageAsync(CatalogError error)
    {
        Target = (await store.DiffAsync(Version, HttpContext.RequestAborted)).Value?.Version;
        return Refused(error);
    }
}
