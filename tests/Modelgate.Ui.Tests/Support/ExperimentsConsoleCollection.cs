namespace Modelgate.Ui.Tests.Support;

/// <summary>
/// A server of their own for the experiments and aliases flows: the gateway calls and usage they record would otherwise
/// count in the totals the admin flow checks on the usage page.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ExperimentsConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "experiments console";
}
