namespace Modelgate.Cli.Tests.Support;

/// <summary>The test classes that share one server; they run one after the other, since rollback changes the whole catalog.</summary>
[CollectionDefinition(Name)]
public sealed class CliServerCollection : ICollectionFixture<CliServer>
{
    public const string Name = "cli server";
}
