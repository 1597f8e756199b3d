namespace Modelgate.Server.Tests.Clients;

/// <summary>
/// The tests that start Node.js processes run on their own, after the rest of the assembly: each client is a process
/// that takes the CPU for a while as it starts, and next to them the tests that measure time (a drain, an idle
/// timeout) could see stalls that are the machine's, not the gateway's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NpmClientsCollection
{
    public const string Name = "npm clients";
}
