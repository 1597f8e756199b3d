using BenchmarkDotNet.Attributes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Benchmarks;

/// <summary>Resolve(purpose) on a warm snapshot: the cost every call of a purpose client pays.</summary>
[MemoryDiagnoser]
public class ResolveBenchmarks
{
    private ModelResolver _resolver = null!;
    private Purpose _researcher;
    private Purpose _unsetAgentType;

    [GlobalSetup]
    public void Setup()
    {
        var protector = CatalogFixture.Protector();
        var current = CatalogFixture.Current(protector);
        current.Apply(CatalogFixture.Snapshot(protector, 1000, 1), ResolutionSource.Database);
        _resolver = new ModelResolver(current);
        Purpose.TryParse("agents/researcher", out _researcher, out _);
        Purpose.TryParse("agents/writer", out _unsetAgentType, out _);
        _resolver.Resolve(_unsetAgentType);
    }

    [Benchmark(Baseline = true)]
    public ResolvedModel Agents() => _resolver.Resolve(Purpose.Agents);

    [Benchmark]
    public ResolvedModel AgentTypeWithOwnDefault() => _resolver.Resolve(_researcher);

    [Benchmark]
    public ResolvedModel AgentTypeFallingBackToAgents() => _resolver.Resolve(_unsetAgentType);
}
