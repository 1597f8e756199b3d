using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class VirtualKeyConfiguration : IEntityTypeConfiguration<VirtualKeyEntity>
{
    public void Configure(EntityTypeBuilder<VirtualKeyEntity> builder)
    {
        builder.ToTable("virtual_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.Property(k => k.KeyPrefix).HasMaxLength(16);
        builder.Property(k => k.BudgetUsd).HasPrecision(18, 6);
        builder.Property(k => k.BudgetPeriod).HasMaxLength(16);
        builder.Property(k => k.Team).HasMaxLength(100);
        builder.HasIndex(k => k.KeyHash).IsUnique();
    }
}
