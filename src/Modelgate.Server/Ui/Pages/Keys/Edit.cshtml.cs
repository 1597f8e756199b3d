using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Keys;

/// <summary>
/// Adds, edits or revokes a virtual key through the admin API's store and rules. A new key's secret is shown on the
/// answer to the form that added it, once: it is never stored, so no later page could show it.
/// </summary>
internal sealed class KeyEditModel(VirtualKeyStore store) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "new";
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "team")] public string? Team { get; set; }
    [BindProperty(Name = "allowed_purposes")] public string? AllowedPurposes { get; set; }
    [BindProperty(Name = "allowed_models")] public string? AllowedModels { get; set; }
    [BindProperty(Name = "expires_at")] public string? ExpiresAt { get; set; }
    [BindProperty(Name = "budget_usd")] public string? BudgetUsd { get; set; }
    [BindProperty(Name = "budget_period")] public string? BudgetPeriod { get; set; } = "monthly";
    [BindProperty(Name = "requests_per_minute")] public string? RequestsPerMinute { get; set; }
    [BindProperty(Name = "tokens_per_minute")] public string? TokensPerMinute { get; set; }
    [BindProperty(Name = "concurrent_requests")] public string? ConcurrentRequests { get; set; }
    [BindProperty(Name = "shadow_limits")] public string[] ShadowLimits { get; set; } = [];
    [BindProperty(Name = "revision")] public int? Revision { get; set; }

    public VirtualKeyView? Existing { get; private set; }

    /// <summary>The key just added, with its secret: shown on this answer only.</summary>
    public NewVirtualKey? Added { get; private set; }

    public bool IsNew => Id == "new";

    public LimitFields Limits => new(
        this,
        [("requests_per_minute", RequestsPerMinute), ("tokens_per_minute", TokensPerMinute), ("concurrent_requests", ConcurrentRequests)],
        VirtualKeyChanges.ShadowableLimits,
        ShadowLimits);

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
        var changes = Read(input);
        if (input.Error is { } invalid)
        {
            return Refused(invalid);
        }

        if (IsNew)
        {
            var added = await store.CreateAsync(changes, Actor, HttpContext.RequestAborted);
            Added = added.Value;
            return Added is null ? Refused(added.Error!) : Page();
        }

        var result = await store.UpdateAsync(Existing!.Id, changes, Revision, Actor, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return Done($"Key {saved.Name} saved.", "/keys");
        }

        if (result.Error!.Kind == CatalogErrorKind.PreconditionFailed && await LoadAsync())
        {
            Show(Existing!); // changed meanwhile: the form shows what is there now
        }

        return Refused(result.Error);
    }

    public async Task<IActionResult> OnPostRevokeAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var result = await store.RevokeAsync(Existing!.Id, Actor, HttpContext.RequestAborted);
        if (result.Value is { } revoked)
        {
            return Done($"Key {revoked.Name} revoked: calls with it are refused from now on.", "/keys");
        }

        Show(Existing);
        return Refused(result.Error!);
    }

    private VirtualKeyChanges Read(FormInput input)
    {
        var changes = new VirtualKeyChanges
        {
            Name = Name?.Trim(),
            Team = string.IsNullOrWhiteSpace(Team) ? null : Team.Trim(),
            AllowedPurposes = Entries(AllowedPurposes),
            AllowedModels = Entries(AllowedModels),
            BudgetUsd = input.Decimal(BudgetUsd, "budget_usd"),
            BudgetPeriod = BudgetPeriod,
            RequestsPerMinute = input.Int(RequestsPerMinute, "requests_per_minute"),
            TokensPerMinute = input.Long(TokensPerMinute, "tokens_per_minute"),
            ConcurrentRequests = input.Int(ConcurrentRequests, "concurrent_requests"),
            ShadowLimits = ShadowLimits,
        };

        // The day field shows an expiry only to the day: saved as shown, it stays exactly as it is.
        return ExpiresAt?.Trim() == FormInput.ShowDay(Existing?.ExpiresAt) ? changes : changes with { ExpiresAt = input.Day(ExpiresAt, "expires_at") };
    }

    private void Show(VirtualKeyView k)
    {
        Team = k.Team;
        (Name, AllowedPurposes, AllowedModels, ExpiresAt, Revision) = (k.Name, string.Join(", ", k.AllowedPurposes), string.Join(", ", k.AllowedModels), FormInput.ShowDay(k.ExpiresAt), k.Revision);
        (BudgetUsd, BudgetPeriod) = (FormInput.Show(k.BudgetUsd), k.BudgetPeriod ?? "monthly");
        (RequestsPerMinute, TokensPerMinute, ConcurrentRequests, ShadowLimits) =
            (FormInput.Show(k.RequestsPerMinute), FormInput.Show(k.TokensPerMinute), FormInput.Show(k.ConcurrentRequests), [.. k.ShadowLimits]);
    }

    // An allow-list typed as "chat, agents/*" (commas or new lines between entries).
    private static string[] Entries(string? text) =>
        (text ?? "").Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<bool> LoadAsync()
    {
        Existing = Guid.TryParse(Id, out var id) ? await store.GetAsync(id, HttpContext.RequestAborted) : null;
        return Existing is not null;
    }
}
