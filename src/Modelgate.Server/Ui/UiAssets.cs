namespace Modelgate.Server.Ui;

/// <summary>A version for the embedded stylesheet and script URLs, so a new build is never served from a stale cache.</summary>
internal static class UiAssets
{
    public static readonly string Version =
        typeof(UiAssets).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];
}
