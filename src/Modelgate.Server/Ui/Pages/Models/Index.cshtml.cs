using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Storage.Catalog;
using Modelgate.Storage.Usage;

namespace Modelgate.Server.Ui.Pages.Models;

/// <summary>Models with filters, each with its scorecard of the last 24 hours (one grouped usage query for the page).</summary>
internal sealed class ModelsModel(ModelStore store, CurrentCatalog catalog, UsageQuery usage, TimeProvider time) : ConsolePage
{
    public const int PageSize = 50;
    public const int ScorecardHours = 24;

    private IReadOnlyDictionary<Guid, ModelScorecard> _scorecards = new Dictionary<Guid, ModelScorecard>();

    [BindProperty(SupportsGet = true, Name = "search")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "provider_id")] public Guid? ProviderId { get; set; }
    [BindProperty(SupportsGet = true, Name = "type")] public string? Type { get; set; }
    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "offset")] public int Offset { get; set; }

    public Page<ModelView> Models { get; private set; } = new([], 0, PageSize, 0);

    public IReadOnlyList<ProviderConfig> ProviderChoices { get; private set; } = [];

    /// <summary>The model whose deactivation was refused because it is a default: offer to force it.</summary>
    public Guid? OfferForceFor { get; private set; }

    public bool Filtered => !string.IsNullOrEmpty(Search) || ProviderId is not null || !string.IsNullOrEmpty(Type) || !string.IsNullOrEmpty(Status);

    public Pager Pager => new(Models.Total, Models.Limit, Models.Offset, "/models", new Dictionary<string, string?>
    {
        ["search"] = Search, ["provider_id"] = ProviderId?.ToString(), ["type"] = Type, ["status"] = Status,
    });

    public ModelScorecard Scorecard(Guid id) =>
        _scorecards.TryGetValue(id, out var card) ? card : ModelScorecard.From(ScorecardHours, null);

    public static IEnumerable<string> DefaultFor(ModelView m) =>
        new[] { (m.IsDefaultForChat, "chat"), (m.IsDefaultForAgents, "agents"), (m.IsDefaultForEmbeddings, "embeddings") }
            .Where(d => d.Item1).Select(d => d.Item2).Concat(m.DefaultForAgentTypes.Select(t => Purpose.AgentTypePrefix + t));

    public async Task OnGetAsync()
    {
        var type = ModelKinds.AllNames.Contains(Type) ? Type : null;
        bool? active = Status switch { "active" => true, "inactive" => false, _ => null };
        var search = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
        Models = await store.ListAsync(new ModelFilter(type, ProviderId, active, search), PageSize, Pager.Clamp(Offset), HttpContext.RequestAborted);
        ProviderChoices = [.. catalog.State.Snapshot.Providers.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        _scorecards = await usage.ScorecardsAsync(Models.Data.Select(m => m.Id).ToHashSet(), time.GetUtcNow(), ScorecardHours, HttpContext.RequestAborted);
    }

    /// <summary>Activates or deactivates one model; deactivating a default is refused unless forced (which clears the default).</summary>
    public async Task<IActionResult> OnPostActivationAsync(Guid id, [FromForm] bool active, [FromForm] bool force)
    {
        var result = await store.UpdateAsync(id.ToString(), new ModelChanges { IsActive = active }, ifMatch: null, force, Actor, HttpContext.RequestAborted);
        if (result.Value is { } model)
        {
            return Done($"Model {model.DisplayName ?? model.ModelId} {(active ? "activated" : "deactivated")}.", "/models");
        }

        await OnGetAsync();
        OfferForceFor = result.Error!.CanForce ? id : null;
        return Refused(result.Error!);
    }
}
