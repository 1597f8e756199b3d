using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Catalog;
using Modelgate.Testing;

namespace Modelgate.Storage.Tests;

/// <summary>The experiment store where time matters (an experiment that ends), with a fake clock, on both databases.</summary>
public sealed class ExperimentStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static async Task<ServiceProvider> StoresAsync(TestDatabase database, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(time);
        services.AddSingleton(new MasterKeyStore(new MasterKeyOptions { KeyFilePath = Path.Combine(database.DataDirectory.Path, "master.key") }));
        services.AddSingleton<SecretProtector>();
        services.AddSingleton(new BaseUrlPolicy());
        services.AddSingleton(EnvironmentFallback.None);
        services.AddSingleton<CurrentCatalog>();
        services.AddModelgateStorage(database.Options);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
        await provider.GetRequiredService<SecretKeyMaintenance>().LoadAndVerifyAsync(CancellationToken.None);
        await provider.GetRequiredService<CatalogTransaction>().EnsurePublishedAsync(CancellationToken.None);
        return provider;
    }

    private static ExperimentChanges Experiment(string name, DateTimeOffset? endsAt = null) => new()
    {
        Name = name,
        Target = "chat",
        Variants = new ExperimentVariantChanges[] { new("control", null, 1), new("cool", null, 1, Parameters: new ModelParameters(Temperature: 0.2)) },
        EndsAt = endsAt,
    };

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task EndedExperiment_LetsAnotherStartOnItsTarget_AndCannotBeRevivedWhileThatOneRuns(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var time = new FakeTimeProvider(Now);
        await using var services = await StoresAsync(database, time);
        var store = services.GetRequiredService<ExperimentStore>();
        var first = (await store.CreateAsync(Experiment("first", Now.AddHours(1)), "test", CancellationToken.None)).Value!;
        Assert.Equal(CatalogErrorKind.Conflict, (await store.CreateAsync(Experiment("early"), "test", CancellationToken.None)).Error!.Kind);

        time.Advance(TimeSpan.FromHours(2));
        var second = await store.CreateAsync(Experiment("second"), "test", CancellationToken.None);
        var revived = await store.UpdateAsync("first", new ExperimentChanges { EndsAt = Now.AddDays(1) }, null, "test", CancellationToken.None);

        Assert.Equal("running", second.Value!.Phase);
        Assert.Equal("ended", (await store.GetAsync(first.Id.ToString(), CancellationToken.None)).Value!.Phase);
        Assert.Contains("experiment 'second' is already running on 'chat'", revived.Error!.Detail, StringComparison.Ordinal);
        Assert.True((await store.DeleteAsync("first", null, "test", CancellationToken.None)).IsSuccess);
        Assert.Equal("second", Assert.Single(services.GetRequiredService<CurrentCatalog>().State.Snapshot.Experiments.Values).Name);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ScheduledExperiment_IsScheduledUntilItStarts_AndMayBeDeletedBeforeThen(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var time = new FakeTimeProvider(Now);
        await using var services = await StoresAsync(database, time);
        var store = services.GetRequiredService<ExperimentStore>();

        var scheduled = (await store.CreateAsync(Experiment("later") with { StartsAt = Now.AddDays(1) }, "test", CancellationToken.None)).Value!;
        Assert.True((await store.DeleteAsync("later", null, "test", CancellationToken.None)).IsSuccess);
        await store.CreateAsync(Experiment("later") with { StartsAt = Now.AddDays(1) }, "test", CancellationToken.None);
        time.Advance(TimeSpan.FromDays(2));
        var started = (await store.GetAsync("later", CancellationToken.None)).Value!;
        var refused = await store.DeleteAsync("later", null, "test", CancellationToken.None);

        Assert.Equal(("scheduled", "running"), (scheduled.Phase, started.Phase));
        Assert.Equal(CatalogErrorKind.Conflict, refused.Error!.Kind);
        Assert.Equal(Now.AddDays(1).UtcDateTime, scheduled.StartsAt);
    }
}
