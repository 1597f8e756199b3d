using System.Reflection;
using Modelgate.Core.Resolution;

namespace Modelgate.Client.Tests;

/// <summary>
/// An application that only calls the gateway takes Modelgate.Client, whose dependencies are Microsoft.Extensions.AI and
/// the OpenAI SDK: no database drivers, no EF Core, no other provider's SDK. Direct mode is a package of its own.
/// </summary>
public sealed class ClientPackageTests
{
    private static readonly string[] Forbidden =
    [
        "Modelgate.Core", "Modelgate.Storage", "Modelgate.Client.Direct", "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw",
        "Anthropic", "OllamaSharp", "Polly", "Microsoft.ML.Tokenizers",
    ];

    [Fact]
    public void TheRemoteClientsWholeDependencyClosure_HoldsNoDatabaseNorOtherProviderSdk()
    {
        var closure = Closure(typeof(ModelgateServiceCollectionExtensions).Assembly);

        Assert.Contains("Microsoft.Extensions.AI.OpenAI", closure);
        Assert.Contains("OpenAI", closure);
        Assert.Contains("Modelgate.Abstractions", closure);
        Assert.DoesNotContain(closure, name => Forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheExceptionsBothModesThrow_AreTheSameTypes_FromTheDependencyFreeAbstractions()
    {
        var abstractions = typeof(ModelgateProviderException).Assembly;

        Assert.Equal("Modelgate.Abstractions", abstractions.GetName().Name);
        Assert.Same(abstractions, typeof(ModelgateConfigurationException).Assembly);
        Assert.All(abstractions.GetReferencedAssemblies(), a => Assert.True(a.Name!.StartsWith("System", StringComparison.Ordinal), a.Name));
        // Direct mode is built on the remote package, not beside it: one IModelgateClients for both.
        Assert.Contains(typeof(ModelgateDirectServiceCollectionExtensions).Assembly.GetReferencedAssemblies(), a => a.Name == "Modelgate.Client");
    }

    // Every assembly reachable by reference from the one given, the runtime's own left out.
    private static HashSet<string> Closure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>([root.GetName()]);
        while (pending.TryPop(out var name))
        {
            if (name.Name is not { } simple || simple.StartsWith("System", StringComparison.Ordinal) || simple is "netstandard" or "mscorlib" || !seen.Add(simple))
            {
                continue;
            }

            foreach (var reference in Assembly.Load(name).GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        return seen;
    }
}
