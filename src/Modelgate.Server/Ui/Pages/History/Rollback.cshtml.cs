using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.History;

/// <summary>Asks for confirmation, listing the changes a rollback undoes, then rolls back (POST with the CSRF token).</summary>
internal sealed class RollbackModel(ConfigVersionStore store) : ConsolePage
{
    private const int MaxListed = 200;

    [BindProperty(SupportsGet = true)] public long Version { get; set; }

    /// <summary>The latest version when the confirmation was shown: the rollback undoes only what was listed.</summary>
    [BindProperty(Name = "head")] public long Head { get; set; }

    public ConfigVersionView? Target { get; private set; }

    public IReadOnlyList<ConfigVersionView> Undone { get; private set; } = [];

    /// <summary>How many later versions the rollback undoes in all (versions are numbered one after another); at most <see cref="MaxListed"/> are listed.</summary>
    public long UndoneCount => Head - Version;

    public async Task<IActionResult> OnGetAsync() => await ShowAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        // Refused if anyone published since the confirmation was shown: it is shown again with the new list.
        var result = await store.RollbackAsync(Version, Actor, HttpContext.RequestAborted, expectedLatest: Head);
        if (result.Value is { } published)
        {
            return Done($"Rolled back to v{Version}: published as v{published.Version}.", "/history");
        }

        return await ShowAsync() ?? Refused(result.Error!);
    }

    private async Task<IActionResult?> ShowAsync()
    {
        var target = await store.GetAsync(Version, HttpContext.RequestAborted);
        if (target.Value is null)
        {
            return Refused(target.Error!);
        }

        var versions = (await store.ListAsync(MaxListed, 0, HttpContext.RequestAborted)).Data;
        Target = target.Value;
        Head = versions.Count > 0 ? versions[0].Version : Version;
        Undone = [.. versions.Where(v => v.Version > Version)];
        if (Target.IsCurrent)
        {
            Target = null;
            return Refused(CatalogError.Conflict($"v{Version} is already the current version; there is nothing to roll back"));
        }

        return null;
    }
}
