using Microsoft.AspNetCore.Mvc;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.History;

/// <summary>Published configuration versions, newest first: who, when, what.</summary>
internal sealed class HistoryModel(ConfigVersionStore store) : ConsolePage
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "offset")] public int Offset { get; set; }

    public Page<ConfigVersionView> Versions { get; private set; } = new([], 0, PageSize, 0);

    public Pager Pager => new(Versions.Total, Versions.Limit, Versions.Offset, "/history");

    public async Task OnGetAsync() => Versions = await store.ListAsync(PageSize, Pager.Clamp(Offset), HttpContext.RequestAborted);
}
