namespace Modelgate.Ui.Tests.Support;

/// <summary>
/// Where the browser is: Debian's <c>chromium</c> package (installed by <c>.ci/run</c>), or MODELGATE_CHROMIUM.
/// Playwright's own browser download is never used; a missing browser fails the tests with how to install it.
/// </summary>
internal static class Chromium
{
    public static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    public static string Path()
    {
        var path = Environment.GetEnvironmentVariable("MODELGATE_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"No Chromium at {path}. Install Debian's package (sudo apt-get install -y chromium) or set MODELGATE_CHROMIUM to a Chromium binary.");
    }
}
