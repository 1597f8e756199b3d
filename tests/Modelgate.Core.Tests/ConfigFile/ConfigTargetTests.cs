using Modelgate.ConfigFile;
using Modelgate.Core.Catalog;
using Modelgate.Core.ConfigAsCode;
using Modelgate.Core.Tests.Resolution;

namespace Modelgate.Core.Tests.ConfigFile;

public sealed class ConfigTargetTests : IDisposable
{
    private readonly CatalogBuilder _catalog = new();

    private const string File = """
        providers:
          - {name: openai, type: openai, api_key: env:OPENAI_API_KEY}
        models:
          - {model: openai/gpt-4o-mini, parameters: {temperature: 0.2}, prices: {input_per_million: 0.15, output_per_million: 0.6}}
          - {model: openai/gpt-4o}
        defaults: {chat: openai/gpt-4o-mini}
        fallbacks: {chat: [openai/gpt-4o]}
        aliases: {smart: {model: openai/gpt-4o}}
        """;

    // The file's providers and models, with experiments on the purpose chat and the alias smart.
    private const string WithExperiments = File + "\n" + """
        experiments:
          - name: mini-vs-4o
            target: chat
            description: is the small one good enough
            stickiness: key
            variants:
              - {name: control, weight: 90}
              - {name: mini, model: openai/gpt-4o-mini, weight: 10, parameters: {temperature: 0.5}}
              - {name: big, model: openai/gpt-4o, weight: 5, shadow: true}
            guardrails:
              - {metric: error_rate, max_increase: 0.02}
              - {metric: latency_p95, max_ratio: 1.5}
            ends_at: 2030-01-01T00:00:00Z
            alpha: 0.1
          - name: smart-test
            target: smart
            variants:
              - {name: a, weight: 1}
              - {name: b, model: openai/gpt-4o-mini, weight: 1}
        """;

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal) { ["openai"] = "sk-proj-from-the-environment-000000000000" };

    private (CatalogSnapshot? Target, IReadOnlyList<ConfigPathError> Errors) Target(CatalogSnapshot current, string text, bool prune = false)
    {
        var (document, errors) = ConfigFileReader.Read("version: 1\n" + text, "m.yaml");
        Assert.Empty(errors);
        return ConfigTarget.Build(current, document!, Keys, _catalog.Protector, new BaseUrlPolicy(), prune, Now);
    }

    // The catalog the file makes on an empty one, with these experiments added as if made through the API.
    private CatalogSnapshot Current(string text, params Experiment[] experiments)
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, text);
        Assert.Empty(errors);
        return With(target!, experiments);
    }

    private static CatalogSnapshot With(CatalogSnapshot s, params Experiment[] experiments) =>
        new(s.Version, s.PublishedAt, s.Providers.Values, s.Models.Values, s.Defaults, s.VirtualKeys.Values, s.Fallbacks, s.Aliases.Values,
            s.Experiments.Values.Where(e => experiments.All(x => x.Id != e.Id)).Concat(experiments));

    private static Guid Model(CatalogSnapshot snapshot, string modelId) => snapshot.Models.Values.Single(m => m.ModelId == modelId).Id;

    private static Experiment Experiment(string name, string target, Guid? model, ExperimentState state = ExperimentState.Running) => new()
    {
        Id = Guid.CreateVersion7(), Name = name, Target = target, State = state, StopReason = state == ExperimentState.Stopped ? "guardrail error_rate crossed" : null,
        Variants = [new ExperimentVariant("control", null, 50), new ExperimentVariant("other", model, 50)],
    };

    [Fact]
    public void OnAnEmptyCatalog_TheFileCreatesEverything_AndTheDiffSaysSo()
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, File);

        Assert.Empty(errors);
        var changes = CatalogDiff.Between(CatalogSnapshot.Empty, target!);
        Assert.Equal(["alias", "default", "fallbacks", "model", "model", "provider"], changes.Select(c => c.Entity).Order(StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Equal("added", c.Kind));
        var provider = Assert.Single(target!.Providers.Values);
        Assert.Equal("sk-proj-from-the-environment-000000000000", _catalog.Protector.Unprotect(provider.ApiKeyCiphertext!, Core.Secrets.SecretContext.ProviderApiKey(provider.Id)));
        Assert.DoesNotContain(changes.SelectMany(c => c.Fields.Values), f => f.After?.ToString()?.Contains("from-the-environment", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void TheSameFileAgain_ChangesNothing_KeepingIdsAndTheKeysCiphertext()
    {
        var (first, _) = Target(CatalogSnapshot.Empty, File);

        var (second, errors) = Target(first!, File);

        Assert.Empty(errors);
        Assert.Empty(CatalogDiff.Between(first!, second!));
        Assert.Equal(first!.Providers.Values.Single().ApiKeyCiphertext, second!.Providers.Values.Single().ApiKeyCiphertext);
    }

    [Fact]
    public void WithoutPrune_NothingIsRemoved_WithPrune_WhatTheFileDoesNotNameIs()
    {
        var other = _catalog.Provider(ProviderKind.Anthropic, name: "anthropic");
        _catalog.Alias("kept", _catalog.Model(other, "claude"));
        var current = _catalog.Build();

        var (kept, _) = Target(current, File);
        var (pruned, _) = Target(current, File, prune: true);

        Assert.Contains(kept!.Providers.Values, p => p.Name == "anthropic");
        Assert.True(kept.Aliases.ContainsKey("kept"));
        Assert.DoesNotContain(pruned!.Providers.Values, p => p.Name == "anthropic");
        Assert.False(pruned.Aliases.ContainsKey("kept"));
        Assert.Contains(CatalogDiff.Between(current, pruned), c => c.Kind == "removed" && c.Entity == "provider" && c.Name == "anthropic");
    }

    [Theory]
    [InlineData("models:\n  - {model: openai/gpt-4o, parameters: {temperature: 7}}\nproviders:\n  - {name: openai, type: openai}", "models[0].parameters.temperature")]
    [InlineData("providers:\n  - {name: openai, type: nonsense}", "providers[0].type")]
    [InlineData("models:\n  - {model: gpt-4o}", "models[0].model")]
    [InlineData("defaults: {chat: openai/missing}\nproviders:\n  - {name: openai, type: openai}", "defaults.chat")]
    [InlineData("aliases: {chat: {model: openai/gpt-4o}}\nproviders:\n  - {name: openai, type: openai}\nmodels:\n  - {model: openai/gpt-4o}", "aliases.chat")]
    [InlineData("providers:\n  - {name: other, type: openai, api_key: env:NOT_RESOLVED}", "providers[0].api_key")]
    public void BadValues_AreRefused_ByTheirPathInTheFile(string text, string path)
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, text);

        Assert.Null(target);
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Experiments_AreCreatedRunning_WithTheirVariantModelsResolvedFromProviderSlashModelId()
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, WithExperiments);

        Assert.Empty(errors);
        var experiment = target!.Experiments.Values.Single(e => e.Name == "mini-vs-4o");
        Assert.Equal(ExperimentState.Running, experiment.State);
        Assert.Equal(("chat", ExperimentStickiness.Key, 0.1, "is the small one good enough"), (experiment.Target, experiment.Stickiness, experiment.Alpha, experiment.Description));
        Assert.Equal([null, Model(target, "gpt-4o-mini"), Model(target, "gpt-4o")], experiment.Variants.Select(v => v.ModelId));
        Assert.Equal([90, 10, 5], experiment.Variants.Select(v => v.Weight));
        Assert.True(experiment.Variants[2].Shadow);
        Assert.Equal(new ModelParameters(Temperature: 0.5), experiment.Variants[1].Parameters);
        Assert.Equal([new ExperimentGuardrail("error_rate", MaxIncrease: 0.02), new ExperimentGuardrail("latency_p95", MaxRatio: 1.5)], experiment.Guardrails);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), experiment.EndsAt);
        Assert.Equal(ExperimentStickiness.Session, target.Experiments.Values.Single(e => e.Name == "smart-test").Stickiness);
        Assert.Equal(2, CatalogDiff.Between(CatalogSnapshot.Empty, target).Count(c => c is { Entity: "experiment", Kind: "added" }));
    }

    [Fact]
    public void TheSameFileWithExperimentsAgain_ChangesNothing_AndTheExperimentsKeepTheirIds()
    {
        var (first, _) = Target(CatalogSnapshot.Empty, WithExperiments);

        var (second, errors) = Target(first!, WithExperiments);

        Assert.Empty(errors);
        Assert.Empty(CatalogDiff.Between(first!, second!));
        Assert.Equal(first!.Experiments.Keys.Order(), second!.Experiments.Keys.Order());
    }

    [Fact]
    public void AChangedDefinition_UpdatesTheRunningExperimentInPlace()
    {
        var (first, _) = Target(CatalogSnapshot.Empty, WithExperiments);

        var (second, errors) = Target(first!, WithExperiments.Replace("weight: 90", "weight: 80", StringComparison.Ordinal));

        Assert.Empty(errors);
        var change = Assert.Single(CatalogDiff.Between(first!, second!));
        Assert.Equal(("changed", "experiment", "mini-vs-4o", "variants"), (change.Kind, change.Entity, change.Name, change.Fields.Keys.Single()));
        Assert.Equal(first!.Experiments.Values.Single(e => e.Name == "mini-vs-4o").Id, Guid.Parse(change.Id));
    }

    [Theory]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 0}, {name: b, model: openai/gpt-4o, weight: 0}]}", "experiments[0].variants")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 10001}]}", "experiments[0].variants[1].weight")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, model: openai/gpt-5, weight: 1}]}", "experiments[0].variants[1].model")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 5, shadow: true}]}", "experiments[0].variants[1].model")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, model: openai/gpt-4o, weight: 1, shadow: true}, {name: b, weight: 1}]}", "experiments[0].variants[0].shadow")]
    [InlineData("- {name: e, target: embeddings, variants: [{name: a, weight: 1}, {name: b, model: openai/gpt-4o, weight: 1}]}", "experiments[0].variants[1].model")]
    [InlineData("- {name: e, target: nowhere, variants: [{name: a, weight: 1}, {name: b, weight: 1}]}", "experiments[0].target")]
    [InlineData("- {name: e, variants: [{name: a, weight: 1}, {name: b, weight: 1}]}", "experiments[0].target")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}]}", "experiments[0].variants")]
    [InlineData("- {name: e, target: chat, stickiness: user, variants: [{name: a, weight: 1}, {name: b, weight: 1}]}", "experiments[0].stickiness")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 1}], guardrails: [{metric: latency_p95, max_increase: 0.1}]}", "experiments[0].guardrails[0].max_ratio")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 1}], alpha: 0.9}", "experiments[0].alpha")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 1}], ends_at: 2020-01-01T00:00:00Z}", "experiments[0].ends_at")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 1}]}\n  - {name: f, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 1}]}", "experiments[1].target")]
    [InlineData("- {name: e, target: chat, variants: [{name: a, weight: 1}, {name: b, weight: 1}]}\n  - {name: e, target: smart, variants: [{name: a, weight: 1}, {name: b, weight: 1}]}", "experiments[1].name")]
    public void BadExperiments_AreRefused_ByTheirPathInTheFile(string experiments, string path)
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, File + "\nexperiments:\n  " + experiments);

        Assert.Null(target);
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void AVariantOnAnInactiveModel_IsRefusedAtTheVariant()
    {
        var (target, errors) = Target(CatalogSnapshot.Empty, WithExperiments.Replace("- {model: openai/gpt-4o}", "- {model: openai/gpt-4o, active: false}", StringComparison.Ordinal));

        // Also refused where the fallbacks and the alias name that model, as the API would; the variant says its own.
        Assert.Null(target);
        var error = Assert.Single(errors, e => e.Path.StartsWith("experiments", StringComparison.Ordinal));
        Assert.Equal(("experiments[0].variants[2].model", "model 'openai/gpt-4o' is inactive and cannot serve a variant; activate it first"), (error.Path, error.Message));
        Assert.Contains(errors, e => e.Path == "fallbacks.chat[0]");
    }

    [Fact]
    public void ARunningExperimentsTarget_DoesNotChangeThroughTheFile()
    {
        var current = Current(File, Experiment("mini-vs-4o", "smart", null));

        var (target, errors) = Target(current, WithExperiments);

        Assert.Null(target);
        Assert.Contains(errors, e => e.Path == "experiments[0].target" && e.Message.Contains("cannot change while it runs", StringComparison.Ordinal));
    }

    [Fact]
    public void OneExperimentPerTarget_CountsTheCatalogsExperimentsTheFileDoesNotName_ButNotStoppedOnes()
    {
        var running = Current(File, Experiment("from-the-console", "chat", null));
        var stopped = Current(File, Experiment("from-the-console", "chat", null, ExperimentState.Stopped));

        var (refused, errors) = Target(running, WithExperiments);
        var (accepted, none) = Target(stopped, WithExperiments);

        Assert.Null(refused);
        var error = Assert.Single(errors);
        Assert.Equal("experiments[0].target", error.Path);
        Assert.StartsWith("experiment 'from-the-console' (in the catalog, not in the file) is already running or scheduled on 'chat'", error.Message, StringComparison.Ordinal);
        Assert.Empty(none);
        Assert.Equal(3, accepted!.Experiments.Count);
    }

    [Fact]
    public void WithoutPrune_ExperimentsTheFileDoesNotNameAreKept_WithPrune_AScheduledOneIsRemoved_ARunningOneIsAnError()
    {
        var scheduled = Experiment("later", "agents", null) with { StartsAt = Now.AddDays(1) };
        var live = Experiment("now", "agents/researcher", null);
        var current = Current(File, scheduled, live);
        var onlyScheduled = Current(File, scheduled);

        var (kept, keptErrors) = Target(current, WithExperiments);
        var (refused, errors) = Target(current, WithExperiments, prune: true);
        var (pruned, prunedErrors) = Target(onlyScheduled, WithExperiments, prune: true);

        Assert.Empty(keptErrors);
        Assert.Equal(["later", "mini-vs-4o", "now", "smart-test"], kept!.Experiments.Values.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Null(refused);
        var error = Assert.Single(errors);
        Assert.Equal("experiments", error.Path);
        Assert.StartsWith("experiment 'now' is running on 'agents/researcher' and the file does not name it: prune would delete it", error.Message, StringComparison.Ordinal);
        Assert.Empty(prunedErrors);
        Assert.DoesNotContain(pruned!.Experiments.Values, e => e.Name == "later");
        Assert.Contains(CatalogDiff.Between(onlyScheduled, pruned), c => c is { Kind: "removed", Entity: "experiment", Name: "later" });
    }

    [Fact]
    public void AModelPruneRemoves_ThatAnExperimentOfTheFileStillUses_IsAnErrorAtTheVariant()
    {
        var current = Current(File);
        var withoutBig = WithExperiments.Replace("  - {model: openai/gpt-4o}\n", "", StringComparison.Ordinal)
            .Replace("fallbacks: {chat: [openai/gpt-4o]}\n", "", StringComparison.Ordinal).Replace("aliases: {smart: {model: openai/gpt-4o}}", "aliases: {smart: {model: openai/gpt-4o-mini}}", StringComparison.Ordinal);

        var (target, errors) = Target(current, withoutBig, prune: true);

        Assert.Null(target);
        var error = Assert.Single(errors);
        Assert.Equal(("experiments[0].variants[2].model", "model 'openai/gpt-4o' is in the catalog but not in the file, and prune removes it; name it in the file, or refer to another model"),
            (error.Path, error.Message));
    }

    [Fact]
    public void DeactivatingAModelThatAKeptRunningExperimentUses_IsAnErrorAtTheModel()
    {
        var current = Current(File);
        current = With(current, Experiment("from-the-console", "agents", Model(current, "gpt-4o")));

        var (target, errors) = Target(current, File.Replace("- {model: openai/gpt-4o}", "- {model: openai/gpt-4o, active: false}", StringComparison.Ordinal));

        Assert.Null(target);
        var error = Assert.Single(errors, e => e.Path.StartsWith("models", StringComparison.Ordinal));
        Assert.Equal("models[1].active", error.Path);
        Assert.Contains("variant 'other' of experiment 'from-the-console'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AStoppedOrEndedExperiment_IsLeftExactlyAsItIs_WhateverTheFileSays_AndIsNoDifference(bool prune)
    {
        var current = Current(File);
        var stopped = Experiment("mini-vs-4o", "chat", Model(current, "gpt-4o")) with { State = ExperimentState.Stopped, StopReason = "promoted variant 'other'" };
        var ended = Experiment("smart-test", "smart", null) with { EndsAt = Now.AddDays(-1) };
        var unnamed = Experiment("old", "agents", null, ExperimentState.Stopped);
        current = With(current, stopped, ended, unnamed);

        var (target, errors) = Target(current, WithExperiments, prune);

        Assert.Empty(errors);
        Assert.Empty(CatalogDiff.Between(current, target!));
        Assert.Same(stopped, target!.Experiments[stopped.Id]);
        Assert.Same(ended, target.Experiments[ended.Id]);
        Assert.Same(unnamed, target.Experiments[unnamed.Id]);
        Assert.Equal(["mini-vs-4o", "smart-test"], ConfigTarget.LeftAsTheyAre(current, ConfigFileReader.Read("version: 1\n" + WithExperiments, "m.yaml").Document!, Now));
    }

    [Fact]
    public void AStoppedExperimentsEntry_IsStillCheckedAgainstTheApisRules()
    {
        var current = Current(File);
        current = With(current, Experiment("mini-vs-4o", "chat", null, ExperimentState.Stopped));

        var (target, errors) = Target(current, WithExperiments.Replace("weight: 90", "weight: -1", StringComparison.Ordinal));

        Assert.Null(target);
        Assert.Equal("experiments[0].variants[0].weight", Assert.Single(errors).Path);
    }

    public void Dispose() => _catalog.Dispose();

    [Fact]
    public void ANewModelWithoutPrices_GetsTheBuiltInOnes_AnExistingOneKeepsItsOwn()
    {
        var (created, errors) = Target(CatalogSnapshot.Empty, File);
        Assert.Empty(errors);
        Assert.Equal(new Pricing(2.50m, 10.00m, 1.25m), created!.Models[Model(created, "gpt-4o")].Pricing);

        // Priced otherwise through the API later: the file, which says nothing of prices, keeps them.
        var repriced = With(new CatalogSnapshot(created.Version, created.PublishedAt, created.Providers.Values,
            created.Models.Values.Select(m => m.ModelId == "gpt-4o" ? m with { Pricing = new Pricing(2m, 8m, null) } : m), created.Defaults,
            created.VirtualKeys.Values, created.Fallbacks, created.Aliases.Values));
        var (again, _) = Target(repriced, File);
        Assert.Equal(new Pricing(2m, 8m, null), again!.Models[Model(again, "gpt-4o")].Pricing);
        Assert.Empty(CatalogDiff.Between(repriced, again));
    }

    [Fact]
    public void AnEmptyFallbackChain_IsNoChain_AndChangesNothingTheSecondTime()
    {
        var current = Current(File);
        var (target, errors) = Target(current, File.Replace("fallbacks: {chat: [openai/gpt-4o]}", "fallbacks: {chat: []}", StringComparison.Ordinal));

        Assert.Empty(errors);
        Assert.False(target!.Fallbacks.ContainsKey("chat"));
        var (twice, _) = Target(target, File.Replace("fallbacks: {chat: [openai/gpt-4o]}", "fallbacks: {chat: []}", StringComparison.Ordinal));
        Assert.Empty(CatalogDiff.Between(target, twice!));
    }

    [Fact]
    public void DeactivatingTheModelOfADefaultTheFileDoesNotName_IsRefusedAtTheModel_AsTheApiWould()
    {
        var current = Current(File + "\n" + "        ");
        var withAgents = new CatalogSnapshot(current.Version, current.PublishedAt, current.Providers.Values, current.Models.Values,
            new Dictionary<string, Guid>(current.Defaults) { ["agents"] = Model(current, "gpt-4o") }, current.VirtualKeys.Values, current.Fallbacks, current.Aliases.Values);

        var (target, errors) = Target(withAgents, File.Replace("- {model: openai/gpt-4o}", "- {model: openai/gpt-4o, active: false}", StringComparison.Ordinal));

        Assert.Null(target);
        var error = Assert.Single(errors, e => e.Path == "models[1]");
        Assert.Contains("the default for 'agents' (not in the file)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnchangedChain_WithAModelDeactivatedThroughTheApi_IsAccepted_AsTheApiAllowsIt()
    {
        var current = Current(File);
        var gpt4o = Model(current, "gpt-4o");
        var deactivated = new CatalogSnapshot(current.Version, current.PublishedAt, current.Providers.Values,
            current.Models.Values.Select(m => m.Id == gpt4o ? m with { IsActive = false } : m), current.Defaults, current.VirtualKeys.Values, current.Fallbacks,
            current.Aliases.Values);

        // The export of that catalog, applied to it: the chain and the alias are as they were, so nothing is refused.
        var (target, errors) = Target(deactivated, File.Replace("- {model: openai/gpt-4o}", "- {model: openai/gpt-4o, active: false}", StringComparison.Ordinal));

        Assert.Empty(errors);
        Assert.Empty(CatalogDiff.Between(deactivated, target!));
    }
}
