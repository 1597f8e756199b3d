using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Modelgate.Core.Catalog;
using Modelgate.Testing;

namespace Modelgate.Storage.Tests;

public sealed class MigrationTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Migrate_FreshDatabase_CreatesTheSchemaAndMatchesTheModel(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);

        await new DatabaseInitializer(contexts).MigrateAsync(CancellationToken.None);

        await using var db = contexts.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changed since the last migration: add one for each engine");
        Assert.Equal(0, await db.Providers.CountAsync());
        Assert.Equal(0L, Convert.ToInt64(await database.ScalarAsync("SELECT COUNT(*) FROM purpose_defaults"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Migrate_Twice_IsHarmless(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);
        var initializer = new DatabaseInitializer(contexts);

        await initializer.MigrateAsync(CancellationToken.None);
        await initializer.MigrateAsync(CancellationToken.None);

        var applied = await database.ScalarAsync("SELECT COUNT(*) FROM \"__EFMigrationsHistory\"");
        await using var db = contexts.CreateDbContext();
        Assert.Equal(db.Database.GetMigrations().Count(), Convert.ToInt64(applied, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Migrate_RowsFromBeforeLimitFields_GetNoLimitsAndNoneInShadowMode(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);
        await database.ExecuteAsync("SELECT 1"); // creates the SQLite file, which the contexts' connections never do
        await using (var db = contexts.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_ResponseItems", StringComparison.Ordinal)));
        }

        const string Provider = "0193A1B2-0000-7000-8000-000000000001";
        await database.ExecuteAsync($"""
            INSERT INTO llm_providers (id, name, type, is_active, is_default, created_at, updated_at, revision)
                VALUES ('{Provider}', 'p', 'ollama', TRUE, FALSE, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1);
            INSERT INTO llm_models (id, provider_id, model_id, type, is_active, created_at, updated_at, revision)
                VALUES ('0193A1B2-0000-7000-8000-000000000002', '{Provider}', 'm', 'chat', TRUE, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1);
            INSERT INTO virtual_keys (id, name, key_hash, key_prefix, allowed_purposes, allowed_models, created_at, updated_at, revision)
                VALUES ('0193A1B2-0000-7000-8000-000000000003', 'k', 'hash', 'mg-prefix', '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1);
            """);

        await new DatabaseInitializer(contexts).MigrateAsync(CancellationToken.None);

        await using var after = contexts.CreateDbContext();
        Assert.Equal(LimitKinds.None, (await after.Providers.SingleAsync()).ShadowLimits);
        var model = await after.Models.SingleAsync();
        Assert.Equal((null, null, LimitKinds.None), (model.RequestsPerMinute, model.TokensPerMinute, model.ShadowLimits));
        var key = await after.VirtualKeys.SingleAsync();
        Assert.Equal((null, null, null, LimitKinds.None), (key.RequestsPerMinute, key.TokensPerMinute, key.ConcurrentRequests, key.ShadowLimits));
        Assert.Equal(0L, Convert.ToInt64(await database.ScalarAsync("SELECT shadow_limits FROM virtual_keys"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Migrate_UsageFromBeforeExperiments_BelongsToNoExperimentAndNoSession(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);
        await database.ExecuteAsync("SELECT 1");
        await using (var db = contexts.CreateDbContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_Aliases", StringComparison.Ordinal)));
        }

        await database.ExecuteAsync($$"""
            INSERT INTO usage_series (source, operation, key_id, purpose, variant, provider_id, provider_name, model_id, model_name)
                VALUES ('gateway', 'chat', '{{Guid.Empty}}', 'chat', '', '{{Guid.Empty}}', 'p', '{{Guid.Empty}}', 'm');
            INSERT INTO usage_records (request_id, at_ms, series_id, input_tokens, output_tokens, cached_tokens, latency_ms, status, flags, config_version)
                VALUES ({{(kind == DatabaseKind.Sqlite ? "X'00112233445566778899AABBCCDDEEFF'" : "'\\x00112233445566778899AABBCCDDEEFF'")}}, 1, 1, 1, 1, 0, 10, 200, 0, 1);
            """);

        await new DatabaseInitializer(contexts).MigrateAsync(CancellationToken.None);

        await using var after = contexts.CreateDbContext();
        Assert.Equal(Guid.Empty, (await after.UsageSeries.SingleAsync(s => s.Source != "")).ExperimentId);
        // The start after the upgrade built the rollups of the call it had, under its series, its model and its key.
        Assert.Equal(3, await after.UsageDaily.SumAsync(r => r.Requests));
        Assert.Null((await after.UsageRecords.SingleAsync()).SessionHash);
        Assert.Equal(0, await after.Experiments.CountAsync());
    }

    [Fact]
    public async Task TwoDefaultRowsForOnePurpose_CannotBeStored()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await new DatabaseInitializer(new ModelgateDbContextFactory(database.Options)).MigrateAsync(CancellationToken.None);
        await database.ExecuteAsync("PRAGMA foreign_keys = OFF; INSERT INTO purpose_defaults (purpose, model_id, updated_at) VALUES ('chat', 'A', '2026-01-01')");

        var error = await Record.ExceptionAsync(() => database.ExecuteAsync("PRAGMA foreign_keys = OFF; INSERT INTO purpose_defaults (purpose, model_id, updated_at) VALUES ('chat', 'B', '2026-01-01')"));

        Assert.Contains("UNIQUE", error?.Message, StringComparison.Ordinal);
    }
}

public sealed class FreshStartTests
{
    [Fact]
    public async Task Migrate_DataFolderThatDoesNotExistYet_IsCreatedWithTheDatabase()
    {
        using var root = new TempDirectory();
        var dataDir = Path.Combine(root.Path, "modelgate-data", "nested");
        var options = DatabaseOptions.From(null, dataDir);

        await new DatabaseInitializer(new ModelgateDbContextFactory(options), options).MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(dataDir, DatabaseOptions.DatabaseFileName)));
    }

    [Fact]
    public void ContextConnections_NeverCreateAMissingDatabaseFile()
    {
        var connectionString = ModelgateDbContextFactory.ExistingFileOnly("Data Source=/var/lib/modelgate/modelgate.db");

        Assert.Contains("Mode=ReadWrite", connectionString, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ReadWriteCreate", connectionString, StringComparison.OrdinalIgnoreCase);
    }
}
