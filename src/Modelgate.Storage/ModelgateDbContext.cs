using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage;

/// <summary>
/// The catalog database. One model, two providers: <see cref="SqliteModelgateDbContext"/> and
/// <see cref="PostgresModelgateDbContext"/> each own a migration set.
/// </summary>
public abstract class ModelgateDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ProviderEntity> Providers => Set<ProviderEntity>();
    public DbSet<ModelEntity> Models => Set<ModelEntity>();
    public DbSet<PurposeDefaultEntity> PurposeDefaults => Set<PurposeDefaultEntity>();
    public DbSet<AuditEntryEntity> AuditLog => Set<AuditEntryEntity>();
    public DbSet<SettingEntity> Settings => Set<SettingEntity>();
    public DbSet<ConfigVersionEntity> ConfigVersions => Set<ConfigVersionEntity>();
    public DbSet<InstanceEntity> Instances => Set<InstanceEntity>();
    public DbSet<VirtualKeyEntity> VirtualKeys => Set<VirtualKeyEntity>();
    public DbSet<PurposeFallbackEntity> PurposeFallbacks => Set<PurposeFallbackEntity>();
    public DbSet<ModelAliasEntity> ModelAliases => Set<ModelAliasEntity>();
    public DbSet<ExperimentEntity> Experiments => Set<ExperimentEntity>();
    public DbSet<ConfigOwnerEntity> ConfigOwner => Set<ConfigOwnerEntity>();
    public DbSet<FeedbackEntity> Feedback => Set<FeedbackEntity>();
    public DbSet<UsageSeriesEntity> UsageSeries => Set<UsageSeriesEntity>();
    public DbSet<UsageRecordEntity> UsageRecords => Set<UsageRecordEntity>();
    public DbSet<UsageRollupEntity> UsageRollups => Set<UsageRollupEntity>();
    public DbSet<UsageHourEntity> UsageHourly => Set<UsageHourEntity>();
    public DbSet<UsageDayEntity> UsageDaily => Set<UsageDayEntity>();
    public DbSet<KeySpendEntity> KeySpend => Set<KeySpendEntity>();
    public DbSet<ModelPriceEntity> ModelPrices => Set<ModelPriceEntity>();
    public DbSet<DataProtectionKeyEntity> DataProtectionKeys => Set<DataProtectionKeyEntity>();
    public DbSet<AdminSessionEntity> AdminSessions => Set<AdminSessionEntity>();
    public DbSet<StoredResponseItemEntity> ResponseItems => Set<StoredResponseItemEntity>();

    public abstract DatabaseKind Kind { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ModelgateDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite hands DateTime back unspecified, so mark it on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>The catalog on SQLite (the embedded default).</summary>
public sealed class SqliteModelgateDbContext(DbContextOptions<SqliteModelgateDbContext> options) : ModelgateDbContext(options)
{
    public override DatabaseKind Kind => DatabaseKind.Sqlite;
}

/// <summary>The catalog on PostgreSQL (shared by several instances).</summary>
public sealed class PostgresModelgateDbContext(DbContextOptions<PostgresModelgateDbContext> options) : ModelgateDbContext(options)
{
    public override DatabaseKind Kind => DatabaseKind.Postgres;
}
