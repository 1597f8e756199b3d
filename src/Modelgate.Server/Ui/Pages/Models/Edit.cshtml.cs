using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Ui.Pages.Models;

/// <summary>Adds or edits a model (parameters, prices, context window, dimensions, limits) through the admin API's store and rules.</summary>
internal sealed class ModelEditModel(ModelStore store, CurrentCatalog catalog, UsageQuery usage, TimeProvider time) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "new";
    [BindProperty(Name = "provider_id")] public Guid? ProviderId { get; set; }
    [BindProperty(Name = "model_id")] public string? ModelId { get; set; }
    [BindProperty(Name = "display_name")] public string? DisplayName { get; set; }
    [BindProperty(Name = "type")] public string? Type { get; set; } = "chat";
    [BindProperty(Name = "is_active")] public bool IsActive { get; set; } = true;
    [BindProperty(Name = "temperature")] public string? Temperature { get; set; }
    [BindProperty(Name = "top_p")] public string? TopP { get; set; }
    [BindProperty(Name = "max_tokens")] public string? MaxTokens { get; set; }
    [BindProperty(Name = "input_price_per_million")] public string? InputPrice { get; set; }
    [BindProperty(Name = "output_price_per_million")] public string? OutputPrice { get; set; }
    [BindProperty(Name = "cached_input_price_per_million")] public string? CachedInputPrice { get; set; }
    [BindProperty(Name = "context_window")] public string? ContextWindow { get; set; }
    [BindProperty(Name = "embedding_dimensions")] public string? EmbeddingDimensions { get; set; }
    [BindProperty(Name = "requests_per_minute")] public string? RequestsPerMinute { get; set; }
    [BindProperty(Name = "tokens_per_minute")] public string? TokensPerMinute { get; set; }
    [BindProperty(Name = "shadow_limits")] public string[] ShadowLimits { get; set; } = [];
    [BindProperty(Name = "revision")] public int? Revision { get; set; }
    [BindProperty(Name = "force")] public bool Force { get; set; }

    public ModelView? Existing { get; private set; }
    public IReadOnlyList<ProviderConfig> ProviderChoices { get; private set; } = [];
    public ModelScorecard Card { get; private set; } = ModelScorecard.From(24, null);
    public IReadOnlyList<ModelPriceView> Prices { get; private set; } = [];
    public bool IsNew => Id == "new";

    public LimitFields Limits =>
        new(this, [("requests_per_minute", RequestsPerMinute), ("tokens_per_minute", TokensPerMinute)], ModelValidator.ShadowableLimits, ShadowLimits);
    public bool OfferForce { get; private set; }

    /// <summary>The save was refused for the defaults it would break: offer to save anyway and clear them.</summary>
    public bool OfferForceSave { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "provider_id")] Guid? providerId)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        if (Existing is { } m)
        {
            Show(m);
            await LoadRecordAsync(m);
        }
        else
        {
            ProviderId = providerId ?? ProviderChoices.FirstOrDefault(p => p.IsDefault)?.Id ?? ProviderChoices.FirstOrDefault()?.Id;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var input = new FormInput();
        var changes = new ModelChanges
        {
            ProviderId = ProviderId,
            ModelId = ModelId?.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim(),
            Type = Type,
            IsActive = IsActive,
            Temperature = input.Double(Temperature, "temperature"),
            TopP = input.Double(TopP, "top_p"),
            MaxTokens = input.Int(MaxTokens, "max_tokens"),
            InputPricePerMillion = input.Decimal(InputPrice, "input_price_per_million"),
            OutputPricePerMillion = input.Decimal(OutputPrice, "output_price_per_million"),
            CachedInputPricePerMillion = input.Decimal(CachedInputPrice, "cached_input_price_per_million"),
            ContextWindow = input.Int(ContextWindow, "context_window"),
            EmbeddingDimensions = input.Int(EmbeddingDimensions, "embedding_dimensions"),
            RequestsPerMinute = input.Int(RequestsPerMinute, "requests_per_minute"),
            TokensPerMinute = input.Long(TokensPerMinute, "tokens_per_minute"),
            ShadowLimits = ShadowLimits,
        };
        if (input.Error is { } invalid)
        {
            if (Existing is { } shown)
            {
                await LoadRecordAsync(shown);
            }

            return Refused(invalid);
        }

        var result = IsNew
            ? await store.CreateAsync(changes, Actor, HttpContext.RequestAborted)
            : await store.UpdateAsync(Existing!.Id.ToString(), changes, Revision, Force, Actor, HttpContext.RequestAborted);
        if (result.Value is { } saved)
        {
            return Done($"Model {saved.DisplayName ?? saved.ModelId} {(IsNew ? "added" : "saved")}.", "/models");
        }

        if (result.Error!.Kind == CatalogErrorKind.PreconditionFailed && await LoadAsync())
        {
            Show(Existing!); // changed meanwhile: the form shows what is there now
        }

        if (Existing is { } existing)
        {
            await LoadRecordAsync(existing);
        }

        OfferForceSave = result.Error.CanForce;
        return Refused(result.Error);
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (!await LoadAsync() || Existing is null)
        {
            return NotFound();
        }

        var result = await store.DeleteAsync(Existing.Id.ToString(), Revision, Force, Actor, HttpContext.RequestAborted);
        if (result.IsSuccess)
        {
            return Done($"Model {Existing.ModelId} deleted.", "/models");
        }

        Show(Existing);
        await LoadRecordAsync(Existing);
        OfferForce = result.Error!.CanForce;
        return Refused(result.Error!);
    }

    private void Show(ModelView m)
    {
        (ProviderId, ModelId, DisplayName, Type, IsActive, Revision) = (m.ProviderId, m.ModelId, m.DisplayName, m.Type, m.IsActive, m.Revision);
        (Temperature, TopP, MaxTokens) = (FormInput.Show(m.Temperature), FormInput.Show(m.TopP), FormInput.Show(m.MaxTokens));
        (InputPrice, OutputPrice, CachedInputPrice) = (FormInput.Show(m.InputPricePerMillion), FormInput.Show(m.OutputPricePerMillion), FormInput.Show(m.CachedInputPricePerMillion));
        (ContextWindow, EmbeddingDimensions) = (FormInput.Show(m.ContextWindow), FormInput.Show(m.EmbeddingDimensions));
        (RequestsPerMinute, TokensPerMinute, ShadowLimits) = (FormInput.Show(m.RequestsPerMinute), FormInput.Show(m.TokensPerMinute), [.. m.ShadowLimits]);
    }

    private async Task<bool> LoadAsync()
    {
        ProviderChoices = [.. catalog.State.Snapshot.Providers.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        if (IsNew)
        {
            return true;
        }

        Existing = Guid.TryParse(Id, out var id) ? (await store.GetAsync(id.ToString(), HttpContext.RequestAborted)).Value : null;
        return Existing is not null;
    }

    // What only the page shows (not needed to save): the scorecard and the price history.
    private async Task LoadRecordAsync(ModelView model)
    {
        Card = await usage.ScorecardAsync(model.Id, time.GetUtcNow(), 24, HttpContext.RequestAborted);
        Prices = (await store.PricesAsync(model.Id.ToString(), HttpContext.RequestAborted)).Value ?? [];
    }
}
