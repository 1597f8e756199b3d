namespace Modelgate.Ui.Tests.Support;

/// <summary>The console's main pages and their headings, for tests that visit every one.</summary>
public static class ConsolePages
{
    public static readonly (string Path, string Heading)[] All =
    [
        ("/", "Overview"),
        ("/providers", "Providers"),
        ("/providers/new", "Add a provider"),
        ("/models", "Models"),
        ("/models/new", "Add a model"),
        ("/defaults", "Defaults"),
        ("/aliases", "Aliases"),
        ("/aliases/new", "Add an alias"),
        ("/experiments", "Experiments"),
        ("/experiments/new", "Add an experiment"),
        ("/keys", "Keys"),
        ("/keys/new", "Add a key"),
        ("/usage", "Usage"),
        ("/history", "Configuration history"),
        ("/audit", "Audit log"),
        ("/instances", "Instances"),
    ];
}
