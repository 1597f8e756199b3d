using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Resolution;
using Modelgate.Core.Tests.Resolution;
using Modelgate.Core.Usage;

namespace Modelgate.Core.Tests.Catalog;

public sealed class ExperimentSnapshotTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();

    private CatalogSnapshot With(params Experiment[] experiments)
    {
        var s = _catalog.Build();
        return new CatalogSnapshot(s.Version, s.PublishedAt, s.Providers.Values, s.Models.Values, s.Defaults, s.VirtualKeys.Values, s.Fallbacks, s.Aliases.Values, experiments);
    }

    private static Experiment Experiment(string name, Guid control, Guid b, DateTimeOffset? endsAt = null) => new()
    {
        Id = Guid.NewGuid(), Name = name, Target = "chat", EndsAt = endsAt,
        Variants = [new ExperimentVariant("control", control, 1), new ExperimentVariant("b", b, 10_000, new ModelParameters(0.3))],
        Guardrails = [new ExperimentGuardrail(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02)],
        Stickiness = ExperimentStickiness.Key,
    };

    [Fact]
    public void CatalogSnapshotJson_KeepsExperiments()
    {
        var provider = _catalog.Provider();
        var experiment = Experiment("e", _catalog.Model(provider, "a").Id, _catalog.Model(provider, "b").Id, DateTimeOffset.UnixEpoch.AddYears(60));

        var read = CatalogSnapshotJson.FromGzip(CatalogSnapshotJson.ToGzip(With(experiment))).Experiments[experiment.Id];

        Assert.Equal((experiment.Name, experiment.Target, experiment.Stickiness, experiment.EndsAt, experiment.State), (read.Name, read.Target, read.Stickiness, read.EndsAt, read.State));
        Assert.Equal(experiment.Variants, read.Variants);
        Assert.Equal(experiment.Guardrails, read.Guardrails);
    }

    [Fact]
    public void CatalogSnapshotJson_WrittenBeforeExperiments_ReadsAsNoExperiments()
    {
        var provider = _catalog.Provider();
        var json = JsonNode.Parse(Gunzip(CatalogSnapshotJson.ToGzip(With(Experiment("e", _catalog.Model(provider, "a").Id, _catalog.Model(provider, "b").Id)))))!.AsObject();
        Assert.True(json.Remove("experiments"));

        var read = CatalogSnapshotJson.FromGzip(Gzip(json.ToJsonString()));

        Assert.Empty(read.Experiments);
        Assert.Equal(2, read.Models.Count);
    }

    [Fact]
    public void ResolutionTable_AnEndedExperimentAndItsSuccessorOnOneTarget_RoutesTheSuccessor()
    {
        // An experiment that ended keeps state running until stopped; the store lets the next one start on the same target.
        var provider = _catalog.Provider();
        var (a, b) = (_catalog.Model(provider, "a"), _catalog.Model(provider, "b"));
        _catalog.Default("chat", a);
        var ended = Experiment("ended", a.Id, b.Id, DateTimeOffset.UtcNow.AddDays(-1));
        var successor = Experiment("successor", a.Id, b.Id);
        var current = new CurrentCatalog(_catalog.Protector, EnvironmentFallback.None, NullLogger<CurrentCatalog>.Instance, TimeProvider.System);

        current.Apply(With(ended, successor), ResolutionSource.Database);

        var routing = new ModelResolver(current).Route("chat", ExperimentUnit.ForRequest(), DateTimeOffset.UtcNow);
        Assert.Equal("successor", routing.Arm!.Experiment);
    }

    [Fact]
    public void RequestIds_TimeOf_GivesTheTimeOfAVersion7Id_AndNullForOthers()
    {
        var at = new DateTimeOffset(2026, 12, 5, 12, 0, 0, 123, TimeSpan.Zero);

        Assert.Equal(at, RequestIds.TimeOf(RequestIds.Next(at)));
        Assert.Null(RequestIds.TimeOf(Guid.NewGuid()));
    }

    private static string Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public void Dispose() => _catalog.Dispose();
}
