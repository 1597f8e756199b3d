using Modelgate.Core.Resolution;

namespace Modelgate.Server.Ui;

/// <summary>What one purpose resolves to right now, as the console shows it: model, provider, source, or what is missing.</summary>
internal sealed record ResolutionRow(string Purpose, ResolvedModel? Model, string? Error)
{
    public static IReadOnlyList<ResolutionRow> From(CatalogState state) =>
        [.. state.Resolutions.KnownInOrder.Select(k => new ResolutionRow(k.Key, k.Value.Model, k.Value.Error))];

    /// <summary>"database", "last-known-good" or "environment"; "none" when nothing resolves.</summary>
    public string Source => Model?.Source.ToName() ?? "none";
}
