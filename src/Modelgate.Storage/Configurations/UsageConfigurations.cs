using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class UsageSeriesConfiguration : IEntityTypeConfiguration<UsageSeriesEntity>
{
    public void Configure(EntityTypeBuilder<UsageSeriesEntity> builder)
    {
        builder.ToTable("usage_series");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedOnAdd();
        builder.Property(s => s.Source).HasMaxLength(16);
        builder.Property(s => s.Operation).HasMaxLength(16);
        builder.Property(s => s.Purpose).HasMaxLength(200);
        builder.Property(s => s.Variant).HasMaxLength(200);
        builder.Property(s => s.ProviderName).HasMaxLength(100);
        builder.Property(s => s.ModelName).HasMaxLength(200);
        builder.HasIndex(s => new { s.KeyId, s.Purpose, s.ExperimentId, s.Variant, s.ProviderId, s.ModelId, s.ProviderName, s.ModelName, s.Operation, s.Source }).IsUnique();
    }
}

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecordEntity>
{
    public void Configure(EntityTypeBuilder<UsageRecordEntity> builder)
    {
        builder.ToTable("usage_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedOnAdd();
        builder.Property(r => r.RequestId).HasMaxLength(16);
        builder.Property(r => r.ErrorClass).HasMaxLength(32);
        builder.HasIndex(r => r.RequestId).IsUnique();
        // A btree on both engines (PostgreSQL had a BRIN index for a while: migration UsageAtMsBtree says why not).
        builder.HasIndex(r => r.AtMs);
        // Feedback naming a session goes to the session's latest call; most calls name none, and are left out of the index.
        builder.HasIndex(r => r.SessionHash).HasFilter("session_hash IS NOT NULL");
    }
}

internal sealed class UsageRollupConfiguration : IEntityTypeConfiguration<UsageRollupEntity>
{
    public void Configure(EntityTypeBuilder<UsageRollupEntity> builder)
    {
        builder.ToTable("usage_rollups");
        builder.HasKey(r => new { r.Day, r.SeriesId });
    }
}

internal sealed class UsageHourConfiguration : IEntityTypeConfiguration<UsageHourEntity>
{
    public void Configure(EntityTypeBuilder<UsageHourEntity> builder)
    {
        builder.ToTable("usage_hourly");
        builder.HasKey(r => new { r.Level, r.Hour, r.SeriesId, r.Status });
    }
}

internal sealed class UsageDayConfiguration : IEntityTypeConfiguration<UsageDayEntity>
{
    public void Configure(EntityTypeBuilder<UsageDayEntity> builder)
    {
        builder.ToTable("usage_daily");
        builder.HasKey(r => new { r.Level, r.Day, r.SeriesId, r.Status });
    }
}

internal sealed class KeySpendConfiguration : IEntityTypeConfiguration<KeySpendEntity>
{
    public void Configure(EntityTypeBuilder<KeySpendEntity> builder)
    {
        builder.ToTable("key_spend");
        builder.HasKey(s => new { s.KeyId, s.Day });
    }
}

internal sealed class ModelPriceConfiguration : IEntityTypeConfiguration<ModelPriceEntity>
{
    public void Configure(EntityTypeBuilder<ModelPriceEntity> builder)
    {
        builder.ToTable("model_prices");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Property(p => p.SetBy).HasMaxLength(100);
        builder.Property(p => p.InputPerMillion).HasPrecision(18, 6);
        builder.Property(p => p.OutputPerMillion).HasPrecision(18, 6);
        builder.Property(p => p.CachedInputPerMillion).HasPrecision(18, 6);
        builder.HasIndex(p => new { p.ModelId, p.EffectiveFrom });
        builder.HasOne<ModelEntity>().WithMany().HasForeignKey(p => p.ModelId).OnDelete(DeleteBehavior.Cascade);
    }
}
