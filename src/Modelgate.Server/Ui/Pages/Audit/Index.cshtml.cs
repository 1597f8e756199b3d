using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Modelgate.Storage.Audit;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.Audit;

/// <summary>The audit log, newest first, a page at a time; each entry's before and after on demand (keys only as masks).</summary>
internal sealed class AuditModel(AuditQuery audit) : ConsolePage
{
    public const int PageSize = 50;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [BindProperty(SupportsGet = true, Name = "entity_type")] public string? EntityType { get; set; }
    [BindProperty(SupportsGet = true, Name = "offset")] public int Offset { get; set; }

    public Page<AuditEntryView> Entries { get; private set; } = new([], 0, PageSize, 0);

    public Pager Pager => new(Entries.Total, Entries.Limit, Entries.Offset, "/audit", new Dictionary<string, string?> { ["entity_type"] = EntityType });

    public async Task OnGetAsync()
    {
        EntityType = AuditQuery.EntityTypes.Contains(EntityType) ? EntityType : null;
        Entries = await audit.ListAsync(PageSize, Pager.Clamp(Offset), EntityType, null, HttpContext.RequestAborted);
    }

    public static string Pretty(JsonElement json) => JsonSerializer.Serialize(json, Indented);
}
