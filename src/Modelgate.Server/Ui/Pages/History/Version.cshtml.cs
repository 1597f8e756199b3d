using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Pages.History;

/// <summary>What one version changed against the one before it; keys appear only as "(changed)".</summary>
internal sealed class VersionModel(ConfigVersionStore store) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public long Version { get; set; }

    public ConfigVersionDiff? Diff { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var result = await store.DiffAsync(Version, HttpContext.RequestAborted);
        if (result.Value is null)
        {
            return Refused(result.Error!);
        }

        Diff = result.Value;
        return Page();
    }

    public static string Show(object? value) => value switch
    {
        null => "—",
        bool b => b ? "yes" : "no",
        IEnumerable<string> names => string.Join(", ", names) is { Length: > 0 } list ? list : "none",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
