using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Providers;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Providers;

/// <summary>
/// Adds or edits a provider through the same store, rules and audit trail as the admin API. The key field is
/// write-only: empty keeps the stored key, a value replaces it, "remove" clears it.
/// </summary>
internal sealed class ProviderEditModel(ProviderStore store) : ConsolePage
{
    /// <summary>Every provider kind the catalog knows, with its label and hints (a new kind appears here by itself).</summary>
    public static IReadOnlyList<ProviderKind> Kinds => ProviderKinds.All;

    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "new";
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "type")] public string? Type { get; set; } = "openai";
    [BindProperty(Name = "base_url")] public string? BaseUrl { get; set; }
    [BindProperty(Name = "api_key")] public string? ApiKey { get; set; }
    [BindProperty(Name = "clear_api_key")] public bool ClearApiKey { get; set; }
    [BindProperty(Name = "requests_per_minute")] public string? RequestsPerMinute { get; set; }
    [BindProperty(Name = "tokens_per_minute")] public string? TokensPerMinute { get; set; }
    [BindProperty(Name = "shadow_limits")] public string[] ShadowLimits { get; set; } = [];
    [BindProperty(Name = "is_active")] public bool IsActive { get; set; } = true;
    [BindProperty(Name = "is_default")] public bool IsDefault { get; set; }
    [BindProperty(Name = "revision")] public int? Revision { get; set; }
    [BindProperty(Name = "force")] public bool Force { get; set; }

    public ProviderView? Existing { get; private set; }

    public bool IsNew => Id == "new";

    public LimitFields Limits =>
        new(this, [("requests_per_minute", RequestsPerMinute), ("tokens_per_minute", TokensPerMinute)], ProviderValidator.ShadowableLimits, ShadowLimits);

    /// <summary>The kind the form shows hints for: the one selected, or the first for a type this version does not know.</summary>
    public ProviderKind Kind => ProviderKinds.TryParse(Type, out var kind) ? kind : ProviderKinds.All[0];

    /// <summary>Whether to offer deleting the provider together with its models (after a plain delete was refused).</summary>
    public bool OfferForce { get; private set; }

    /// <summary>The save was refused for the defaults it would break: offer to save anyway and clear them.</summary>
    public bool OfferForceSave { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (IsNew)
        {
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
        if (!IsNew && !await LoadAsync())
        {
            return NotFound();
        }

        var input = new FormInput();
        var changes = new ProviderChanges
        {
            Name = Name?.Trim(),
            Type = Type,
            BaseUrl = string.IsNullOrWhiteSpace(BaseUrl) ? null : BaseUrl.Trim(),
            RequestsPerMinute = input.Int(RequestsPerMinute, "requests_per_minute"),
            TokensPerMinute = input.Long(TokensPerMinute, "tokens_per_minute"),
            ShadowLimits = ShadowLimits,
            IsActive = IsActive,
            IsDefault = IsDefault,
        };
        if (!string.IsNullOrEmpty(ApiKey))
        {
            changes = changes with { ApiKey = ApiKey.Trim() };
        }
        else if (ClearApiKey)
        {
            changes = changes with { ApiKey = null };
        }

        ApiKey = null; // never sent back to the browser, even when the form is shown again with errors
        if (input.Error is { } invalid)
        {
            return Refused(invalid);
        }

        var result = IsNew
            ? await store.CreateAsync(changes, Actor, HttpContext.RequestAborted)
            : await store.UpdateAsync(Existing!.Id, changes, Revision, Force, Actor, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return Done($"Provider {saved.Name} {(IsNew ? "added" : "saved")}.", "/providers");
        }

        if (result.Error!.Kind == CatalogErrorKind.PreconditionFailed && await LoadAsync())
        {
            Show(Existing!); // changed meanwhile: the form shows what is there now
        }

        OfferForceSave = result.Error.CanForce;
        return Refused(result.Error);
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var result = await store.DeleteAsync(Existing!.Id, Revision, Force, Actor, HttpContext.RequestAborted);
        if (result.IsSuccess)
        {
            return Done($"Provider {Existing.Name} deleted.", "/providers");
        }

        OfferForce = result.Error!.CanForce;
        Show(Existing);
        return Refused(result.Error!);
    }

    private void Show(ProviderView p)
    {
        (Name, Type, BaseUrl, IsActive, IsDefault, Revision) = (p.Name, p.Type, p.BaseUrl, p.IsActive, p.IsDefault, p.Revision);
        (RequestsPerMinute, TokensPerMinute, ShadowLimits) = (FormInput.Show(p.RequestsPerMinute), FormInput.Show(p.TokensPerMinute), [.. p.ShadowLimits]);
    }

    private async Task<bool> LoadAsync()
    {
        Existing = Guid.TryParse(Id, out var id) ? await store.GetAsync(id, HttpContext.RequestAborted) : null;
        return Existing is not null;
    }
}
