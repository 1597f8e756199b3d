using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Aliases;

/// <summary>
/// Adds or edits an alias through the admin API's store and rules. The name is the alias's key: a new one must not be
/// taken, and an existing one cannot be renamed (add the new name, then delete the old).
/// </summary>
internal sealed class AliasEditModel(AliasStore store, CurrentCatalog catalog) : ConsolePage
{
    public sealed record Choice(Guid Id, string Label);

    [BindProperty(SupportsGet = true, Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "model_id")] public Guid? ModelId { get; set; }
    [BindProperty(Name = "description")] public string? Description { get; set; }
    [BindProperty(Name = "deprecated")] public bool Deprecated { get; set; }
    [BindProperty(Name = "revision")] public int? Revision { get; set; }

    public AliasView? Existing { get; private set; }

    /// <summary>Whether this is the form for a new alias (<c>/aliases/new</c>).</summary>
    public bool IsNew => HttpContext.Request.Path.StartsWithSegments("/aliases/new", StringComparison.OrdinalIgnoreCase);

    /// <summary>Active models on active providers, by label; the alias's own target too when it is no longer one of them.</summary>
    public IReadOnlyList<Choice> Choices
    {
        get
        {
            var snapshot = catalog.State.Snapshot;
            var choices = snapshot.Models.Values
                .Where(m => m.IsActive && snapshot.Providers.TryGetValue(m.ProviderId, out var p) && p.IsActive)
                .Select(m => new Choice(m.Id, $"{m.DisplayName ?? m.ModelId} ({snapshot.Providers[m.ProviderId].Name})"))
                .OrderBy(c => c.Label, StringComparer.OrdinalIgnoreCase).ToList();
            if (Existing is { } alias && choices.All(c => c.Id != alias.ModelId))
            {
                choices.Insert(0, new Choice(alias.ModelId, $"{alias.ModelName} ({alias.ProviderName}) — inactive"));
            }

            return choices;
        }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (IsNew)
        {
            Name = null;
            return Page();
        }

        if (!await LoadAsync())
        {
            return NotFound();
        }

        Show(Existing!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var name = Name?.Trim() ?? "";
        if (!IsNew && !await LoadAsync())
        {
            return NotFound();
        }

        if (IsNew && (await store.GetAsync(name, HttpContext.RequestAborted)).Value is not null)
        {
            return Refused(CatalogError.Conflict($"an alias named '{name}' exists already; edit it from the list of aliases", "name"));
        }

        if (ModelId is null)
        {
            return Refused(CatalogError.Invalid("model_id", "choose the model the alias stands for"));
        }

        var changes = new AliasChanges(ModelId.Value.ToString(), string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(), Deprecated);
        // A new alias is written only if the name is still free (revision 0); an edit only over the revision shown.
        var result = await store.SetAsync(name, changes, IsNew ? 0 : Revision, Actor, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return Done($"Alias {saved.Name} {(IsNew ? "added" : "saved")}.", "/aliases");
        }

        if (result.Error!.Kind == CatalogErrorKind.PreconditionFailed && !IsNew && await LoadAsync())
        {
            Show(Existing!); // changed meanwhile: the form shows what is there now
        }

        return Refused(result.Error);
    }

    private void Show(AliasView a) => (Name, ModelId, Description, Deprecated, Revision) = (a.Name, a.ModelId, a.Description, a.Deprecated, a.Revision);

    private async Task<bool> LoadAsync()
    {
        Existing = string.IsNullOrEmpty(Name) ? null : (await store.GetAsync(Name, HttpContext.RequestAborted)).Value;
        return Existing is not null;
    }
}
