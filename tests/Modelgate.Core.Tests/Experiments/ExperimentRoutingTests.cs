using Microsoft.Extensions.Logging.Abstractions;
using Modelgate.Core.Catalog;
using Modelgate.Core.Experiments;
using Modelgate.Core.Resolution;
using Modelgate.Core.Tests.Resolution;

namespace Modelgate.Core.Tests.Experiments;

public sealed class ExperimentRoutingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly CatalogBuilder _catalog = new();
    private readonly ProviderConfig _provider;
    private readonly ModelDefinition _control;
    private readonly ModelDefinition _treatment;
    private readonly ModelDefinition _backup;

    public ExperimentRoutingTests()
    {
        _provider = _catalog.Provider(name: "openai", kind: ProviderKind.OpenAI);
        _control = _catalog.Model(_provider, "gpt-4o", parameters: new ModelParameters(Temperature: 0.7, MaxTokens: 500));
        _treatment = _catalog.Model(_provider, "gpt-4o-mini");
        _backup = _catalog.Model(_provider, "backup");
        _catalog.Default("chat", _control).Fallbacks("chat", _backup);
    }

    private static Experiment Split(string target, params ExperimentVariant[] variants) => new()
    {
        Id = Guid.NewGuid(),
        Name = "mini-vs-4o",
        Target = target,
        Variants = variants,
    };

    private ModelResolver Resolver(long version = 1)
    {
        var current = new CurrentCatalog(_catalog.Protector, EnvironmentFallback.None, NullLogger<CurrentCatalog>.Instance, TimeProvider.System);
        current.Apply(_catalog.Build(version), ResolutionSource.Database);
        return new ModelResolver(current);
    }

    private static ExperimentUnit Session(int i) => new($"session-{i}", null, Guid.NewGuid().ToString("N"));

    [Fact]
    public void Split_Over10000Sessions_IsWithinStatisticalBoundsOfTheWeights()
    {
        _catalog.Experiment(Split("chat", new("a", null, 50), new("b", _treatment.Id, 30), new("c", _backup.Id, 20)));
        var resolver = Resolver();

        var counts = Enumerable.Range(0, 10_000).Select(i => resolver.Route("chat", Session(i), Now).Arm!.Variant)
            .GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());

        // Each count is binomial(10,000, p): within 4.5 standard deviations of its mean (a false alarm about once in 150,000 runs).
        foreach (var (variant, share) in new[] { ("a", 0.5), ("b", 0.3), ("c", 0.2) })
        {
            var sd = Math.Sqrt(10_000 * share * (1 - share));
            Assert.InRange(counts[variant], 10_000 * share - 4.5 * sd, 10_000 * share + 4.5 * sd);
        }
    }

    [Fact]
    public void Session_KeepsItsVariant_AcrossCallsAndAcrossInstances()
    {
        _catalog.Experiment(Split("chat", new("a", null, 50), new("b", _treatment.Id, 50)));
        var first = Resolver();
        var second = Resolver();

        for (var i = 0; i < 200; i++)
        {
            var variant = first.Route("chat", Session(i), Now).Arm!.Variant;
            Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(variant, first.Route("chat", Session(i), Now).Arm!.Variant));
            Assert.Equal(variant, second.Route("chat", Session(i), Now).Arm!.Variant);
        }
    }

    [Fact]
    public void WeightChange_MovesOnlyTheSessionsAtTheBoundary()
    {
        var experiment = Split("chat", new("a", null, 90), new("b", _treatment.Id, 10));
        _catalog.Experiment(experiment);
        var before = Resolver(1);
        _catalog.Experiment(experiment with { Variants = [new("a", null, 80), new("b", _treatment.Id, 20)] });
        var after = Resolver(2);

        var moved = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var was = before.Route("chat", Session(i), Now).Arm!.Variant;
            var now = after.Route("chat", Session(i), Now).Arm!.Variant;
            Assert.False(was == "b" && now == "a", "a session of the variant that gained weight must stay on it");
            moved += was != now ? 1 : 0;
        }

        // About 10 % of sessions move from a to b (binomial, 4.5 standard deviations).
        var sd = Math.Sqrt(5_000 * 0.1 * 0.9);
        Assert.InRange(moved, 500 - 4.5 * sd, 500 + 4.5 * sd);
    }

    [Fact]
    public void Variant_IsServedWithTheTargetsFallbacks_EachCountedUnderTheVariant()
    {
        _catalog.Experiment(Split("chat", new("a", null, 0), new("b", _treatment.Id, 1)));

        var routing = Resolver().Route("chat", Session(1), Now);

        Assert.Equal(["gpt-4o-mini", "backup"], routing.Chain.Select(r => r.Model.ModelId));
        Assert.All(routing.Chain, r => Assert.Equal(new ExperimentArm(routing.Arm!.ExperimentId, "mini-vs-4o", "b"), r.Arm));
        Assert.Contains("experiment 'mini-vs-4o' assigned variant 'b'", routing.Chain[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlWithoutModel_IsTheTargetAsConfigured_WithItsFallbacks()
    {
        _catalog.Experiment(Split("chat", new("a", null, 1), new("b", _treatment.Id, 0)));

        var routing = Resolver().Route("chat", Session(1), Now);

        Assert.Equal(["gpt-4o", "backup"], routing.Chain.Select(r => r.Model.ModelId));
        Assert.Equal("a", routing.Arm!.Variant);
    }

    [Fact]
    public void VariantParameters_AreLaidOverTheModelsOwnDefaults()
    {
        _catalog.Experiment(Split("chat", new("a", null, 0), new("cool", null, 1, new ModelParameters(Temperature: 0.1))));

        var served = Resolver().Route("chat", Session(1), Now).Chain[0];

        Assert.Equal(new ModelParameters(0.1, null, 500), served.Parameters);
        Assert.Equal(0.7, Resolver().Resolve(Purpose.Chat).Parameters.Temperature);
    }

    [Theory]
    [InlineData(1, null, true)]
    [InlineData(null, -1, true)]
    [InlineData(-1, 1, false)]
    public void Experiment_RoutesOnlyBetweenItsStartAndItsEnd(int? startHours, int? endHours, bool outside)
    {
        _catalog.Experiment(Split("chat", new("a", null, 0), new("b", _treatment.Id, 1)) with
        {
            StartsAt = startHours is { } s ? Now.AddHours(s) : null,
            EndsAt = endHours is { } e ? Now.AddHours(e) : null,
        });

        var routing = Resolver().Route("chat", Session(1), Now);

        Assert.Equal(outside ? null : "b", routing.Arm?.Variant);
        Assert.Equal(outside ? "gpt-4o" : "gpt-4o-mini", routing.Chain[0].Model.ModelId);
    }

    [Fact]
    public void StoppedExperiment_RoutesNothing()
    {
        _catalog.Experiment(Split("chat", new("a", null, 0), new("b", _treatment.Id, 1)) with { State = ExperimentState.Stopped, StopReason = "done" });

        var routing = Resolver().Route("chat", Session(1), Now);

        Assert.Null(routing.Arm);
        Assert.Equal("gpt-4o", routing.Chain[0].Model.ModelId);
    }

    [Fact]
    public void VariantThatCannotServe_GivesItsShareToTheOthers_AndSaysWhy()
    {
        var inactive = _catalog.Model(_provider, "retired", active: false);
        _catalog.Experiment(Split("chat", new("a", null, 1), new("b", inactive.Id, 99)));
        var resolver = Resolver();

        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal("a", resolver.Route("chat", Session(i), Now).Arm!.Variant));
        Assert.Contains("variant 'b' cannot serve now", Assert.Single(resolver.ExperimentOn("chat")!.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ShadowVariant_IsNeverServed_AndCopiesItsPercentageOfCalls()
    {
        _catalog.Experiment(Split("chat", new("a", null, 1), new("shadow", _treatment.Id, 30, Shadow: true)));
        var resolver = Resolver();

        var copied = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var routing = resolver.Route("chat", Session(i), Now);
            Assert.Equal("gpt-4o", routing.Chain[0].Model.ModelId);
            Assert.All(routing.Chain, r => Assert.False(r.Arm!.Shadow));
            if (routing.Shadows.Count > 0)
            {
                copied++;
                var shadow = Assert.Single(routing.Shadows);
                Assert.Equal(("gpt-4o-mini", "shadow", true), (shadow.Model.ModelId, shadow.Arm!.Variant, shadow.Arm.Shadow));
            }
        }

        var sd = Math.Sqrt(10_000 * 0.3 * 0.7);
        Assert.InRange(copied, 3_000 - 4.5 * sd, 3_000 + 4.5 * sd);
    }

    [Fact]
    public void ExperimentOnAnAlias_SplitsTheAliasCalls_NotThePurposes()
    {
        _catalog.Alias("smart", _control).Experiment(Split("smart", new("a", null, 0), new("b", _treatment.Id, 1)));
        var resolver = Resolver();

        Assert.Equal(("gpt-4o-mini", "b"), (resolver.Route("smart", Session(1), Now).Chain[0].Model.ModelId, resolver.Route("smart", Session(1), Now).Arm!.Variant));
        Assert.Null(resolver.Route("chat", Session(1), Now).Arm);
        Assert.Null(resolver.Route("gpt-4o", Session(1), Now).Arm);
    }

    [Fact]
    public void EveryVariantOfAnAliasExperiment_IsTheAliasToTheCaller()
    {
        _catalog.Alias("smart", _control).Experiment(Split("smart", new("a", null, 1), new("b", _treatment.Id, 1), new("copy", _backup.Id, 100, Shadow: true)));
        var resolver = Resolver();

        var routings = Enumerable.Range(0, 40).Select(i => resolver.Route("smart", Session(i), Now)).ToList();

        Assert.Equal(2, routings.Select(r => r.Arm!.Variant).Distinct().Count());
        Assert.All(routings.SelectMany(r => r.Chain.Concat(r.Shadows)), m => Assert.Equal("smart", m.Alias?.Name));
    }

    [Fact]
    public void RoutingWithoutTheExperiment_IsTheTargetAsConfigured_WithoutCopies()
    {
        _catalog.Experiment(Split("chat", new("a", null, 0), new("b", _treatment.Id, 1), new("copy", _backup.Id, 100, Shadow: true)));

        var outside = Resolver().Route("chat", Session(1), Now).WithoutExperiment();

        Assert.Equal(["gpt-4o", "backup"], outside.Chain.Select(r => r.Model.ModelId));
        Assert.Empty(outside.Shadows);
        Assert.Null(outside.Arm);
    }

    [Theory]
    [InlineData(ExperimentStickiness.Key)]
    [InlineData(ExperimentStickiness.Request)]
    public void Stickiness_HashesWhatTheExperimentChose(ExperimentStickiness stickiness)
    {
        _catalog.Experiment(Split("chat", new("a", null, 50), new("b", _treatment.Id, 50)) with { Stickiness = stickiness });
        var resolver = Resolver();
        var key = Guid.NewGuid();

        // The same key in many sessions: one variant when the key is the unit, both when each request is.
        var variants = Enumerable.Range(0, 64).Select(i => resolver.Route("chat", new ExperimentUnit($"s{i}", key, Guid.NewGuid().ToString("N")), Now).Arm!.Variant).Distinct().Count();

        Assert.Equal(stickiness == ExperimentStickiness.Key ? 1 : 2, variants);
    }

    [Fact]
    public void Snapshot_KeepsExperimentsThroughItsJson()
    {
        var experiment = Split("chat", new("a", null, 90), new("b", _treatment.Id, 10, new ModelParameters(TopP: 0.5)), new("s", _backup.Id, 5, Shadow: true)) with
        {
            Guardrails = [new ExperimentGuardrail(GuardrailMetrics.ErrorRate, MaxIncrease: 0.02), new ExperimentGuardrail(GuardrailMetrics.LatencyP95, MaxRatio: 1.5)],
            Stickiness = ExperimentStickiness.Key,
            EndsAt = Now,
            Alpha = 0.01,
            Description = "cheaper?",
        };
        _catalog.Experiment(experiment);

        var read = CatalogSnapshotJson.FromGzip(CatalogSnapshotJson.ToGzip(_catalog.Build())).Experiments[experiment.Id];

        Assert.Equal(experiment with { Variants = read.Variants, Guardrails = read.Guardrails }, read);
        Assert.Equal(experiment.Variants, read.Variants);
        Assert.Equal(experiment.Guardrails, read.Guardrails);
    }

    public void Dispose() => _catalog.Dispose();
}
