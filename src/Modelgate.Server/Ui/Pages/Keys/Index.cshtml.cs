using Microsoft.AspNetCore.Mvc;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Keys;

/// <summary>The gateway's virtual keys with their status, allow-lists, budget and limits; never a secret.</summary>
internal sealed class KeysModel(VirtualKeyStore store) : ConsolePage
{
    public const int PageSize = 50;

    public Page<VirtualKeyView> Keys { get; private set; } = new([], 0, PageSize, 0);

    public Pager Pager => new(Keys.Total, Keys.Limit, Keys.Offset, "/keys");

    [BindProperty(SupportsGet = true, Name = "offset")]
    public int Offset { get; set; }

    public async Task OnGetAsync() => Keys = await store.ListAsync(PageSize, Pager.Clamp(Offset), HttpContext.RequestAborted);

    /// <summary>An allow-list as the list shows it: empty allows everything.</summary>
    public static string Allowed(IReadOnlyList<string> entries) => entries.Count == 0 ? "all" : string.Join(", ", entries);

    public static string Budget(VirtualKeyView k) =>
        k.BudgetUsd is { } amount ? $"{Format.Usd(amount)} {k.BudgetPeriod}{LimitText.Shadow(k.ShadowLimits, LimitNames.Budget)}" : "none";

    public static string Limits(VirtualKeyView k) => LimitText.Summary(k.RequestsPerMinute, k.TokensPerMinute, k.ConcurrentRequests, k.ShadowLimits);
}
