using Microsoft.Extensions.Logging.Testing;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Core.Tests.Resolution;

public sealed class CurrentCatalogTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();
    private readonly FakeLogger<CurrentCatalog> _logger = new();

    private CurrentCatalog NewCurrent() => new(_catalog.Protector, EnvironmentFallback.None, _logger, TimeProvider.System);

    [Fact]
    public void Apply_OlderVersion_IsIgnored()
    {
        var provider = _catalog.Provider();
        var current = NewCurrent();
        current.Apply(_catalog.Default("chat", _catalog.Model(provider, "new")).Build(version: 5), ResolutionSource.Database);

        var applied = current.Apply(_catalog.Default("chat", _catalog.Model(provider, "old")).Build(version: 4), ResolutionSource.Database);

        Assert.False(applied);
        Assert.Equal("new", new ModelResolver(current).Resolve("chat").Model.ModelId);
    }

    [Fact]
    public void Apply_OlderVersionFromARestoredDatabase_IsAcceptedWhenSaidSo()
    {
        var provider = _catalog.Provider();
        var current = NewCurrent();
        current.Apply(_catalog.Default("chat", _catalog.Model(provider, "before-restore")).Build(version: 9), ResolutionSource.Database);

        var applied = current.Apply(_catalog.Default("chat", _catalog.Model(provider, "restored")).Build(version: 3), ResolutionSource.Database, replacesNewer: true);

        Assert.True(applied);
        Assert.Equal(3, current.State.Snapshot.Version);
        Assert.Equal("restored", new ModelResolver(current).Resolve("chat").Model.ModelId);
    }

    [Fact]
    public void Apply_LogsOneInfoLinePerChangedPurpose_WithoutTheKey()
    {
        var provider = _catalog.Provider(apiKey: "sk-ant-api03-never-logged-0000000000XwAA");
        var current = NewCurrent();
        current.Apply(_catalog.Default("chat", _catalog.Model(provider, "claude-a")).Build(version: 1), ResolutionSource.Database);
        _logger.Collector.Clear();

        current.Apply(_catalog.Default("agents", _catalog.Model(provider, "claude-b")).Build(version: 2), ResolutionSource.Database);

        var lines = _logger.Collector.GetSnapshot();
        var line = Assert.Single(lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Information);
        Assert.Contains("agents", line.Message, StringComparison.Ordinal);
        Assert.Contains("claude-b", line.Message, StringComparison.Ordinal);
        Assert.All(lines, l => Assert.DoesNotContain("never-logged", l.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readers_WhileDefaultsFlip_NeverSeeAHalfAppliedChangeOrGoBack()
    {
        // Each version pairs model "m<v>" with provider key "k<v>": a reader that ever sees a mismatch saw half a change.
        var shared = NewCurrent();
        var versions = Enumerable.Range(1, 200).Select(v =>
        {
            var provider = _catalog.Provider(apiKey: $"k{v}-000000000000000000000000");
            return _catalog.Default("agents", _catalog.Model(provider, $"m{v}")).Build(version: v);
        }).ToList();
        shared.Apply(versions[0], ResolutionSource.Database);
        var resolver = new ModelResolver(shared);
        using var stop = new CancellationTokenSource();
        var totalReads = 0L;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            long last = 0;
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var resolved = resolver.Resolve(Purpose.Agents);
                var version = long.Parse(resolved.Model.ModelId[1..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal($"k{version}-000000000000000000000000", resolved.ApiKey);
                Assert.True(version >= last, $"went back from v{last} to v{version}");
                last = version;
                reads++;
                Interlocked.Increment(ref totalReads);
            }

            return reads;
        }, TaskCreationOptions.LongRunning)).ToList();

        foreach (var snapshot in versions.Skip(1))
        {
            var readsBefore = Interlocked.Read(ref totalReads);
            shared.Apply(snapshot, ResolutionSource.Database);
            // The very next resolution after Apply returns sees the new version.
            Assert.Equal($"m{snapshot.Version}", resolver.Resolve(Purpose.Agents).Model.ModelId);
            // Let the readers run against this version before the next flip.
            SpinWait.SpinUntil(() => Interlocked.Read(ref totalReads) > readsBefore + 10, TimeSpan.FromSeconds(2));
        }

        stop.Cancel();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 100, $"a reader made only {reads} reads"));
    }

    public void Dispose() => _catalog.Dispose();
}
