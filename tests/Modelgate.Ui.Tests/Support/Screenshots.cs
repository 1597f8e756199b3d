namespace Modelgate.Ui.Tests.Support;

/// <summary>
/// Where page screenshots go: <c>TestResults/screenshots/</c> at the repository root (a CI artifact), and also
/// MODELGATE_SCREENSHOTS_DIR when set (how <c>docs/screenshots/</c> is refreshed).
/// </summary>
internal static class Screenshots
{
    public static IEnumerable<string> PathsFor(string name)
    {
        yield return System.IO.Path.Combine(RepositoryRoot(), "TestResults", "screenshots", name + ".png");
        if (Environment.GetEnvironmentVariable("MODELGATE_SCREENSHOTS_DIR") is { Length: > 0 } extra)
        {
            yield return System.IO.Path.Combine(System.IO.Path.GetFullPath(extra, RepositoryRoot()), name + ".png");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Modelgate.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
