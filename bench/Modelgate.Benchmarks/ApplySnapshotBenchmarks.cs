using BenchmarkDotNet.Attributes;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;

namespace Modelgate.Benchmarks;

/// <summary>
/// Putting a new catalog version in effect: building the snapshot's lookups and its resolution table (which
/// decrypts the default providers' keys), as happens on every change notification.
/// </summary>
[MemoryDiagnoser]
public class ApplySnapshotBenchmarks
{
    private CatalogSnapshot _template = null!;
    private CurrentCatalog _current = null!;
    private long _version;

    [Params(1000)]
    public int Models { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var protector = CatalogFixture.Protector();
        _template = CatalogFixture.Snapshot(protector, Models, 1);
        _current = CatalogFixture.Current(protector);
    }

    [Benchmark]
    public bool ApplyNewVersion() =>
        _current.Apply(new CatalogSnapshot(++_version, DateTimeOffset.UtcNow, _template.Providers.Values, _template.Models.Values, _template.Defaults), ResolutionSource.Database);

    [Benchmark]
    public CatalogSnapshot ReadSnapshotFromVersionRow() => CatalogSnapshotJson.FromGzip(_gzip ??= CatalogSnapshotJson.ToGzip(_template));

    private byte[]? _gzip;
}
