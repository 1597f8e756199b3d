using Microsoft.AspNetCore.Mvc;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Aliases;

/// <summary>Every alias with its target, what this instance resolves it to now (or why it cannot serve), and deleting one.</summary>
internal sealed class AliasesModel(AliasStore store) : ConsolePage
{
    public IReadOnlyList<AliasView> Aliases { get; private set; } = [];

    public async Task OnGetAsync() => Aliases = await store.ListAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostDeleteAsync([FromForm] string name, [FromForm] int? revision)
    {
        var result = await store.DeleteAsync(name, revision, Actor, HttpContext.RequestAborted);
        if (result.IsSuccess)
        {
            return Done($"Alias {name} deleted: calls naming it are refused from now on.", "/aliases");
        }

        await OnGetAsync();
        return Refused(result.Error!);
    }

    /// <summary>A link to an alias's form (names may hold '/', so they travel in the query).</summary>
    public static string EditLink(string name) => "/aliases/edit?name=" + Uri.EscapeDataString(name);
}
