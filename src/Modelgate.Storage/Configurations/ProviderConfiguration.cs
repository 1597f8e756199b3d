using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class ProviderConfiguration : IEntityTypeConfiguration<ProviderEntity>
{
    public void Configure(EntityTypeBuilder<ProviderEntity> builder)
    {
        builder.ToTable("llm_providers");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Type).HasMaxLength(64);
        builder.Property(p => p.BaseUrl).HasMaxLength(2048);
        builder.Property(p => p.ApiKeyCiphertext).HasColumnName("api_key");
        builder.Property(p => p.ApiKeyMask).HasMaxLength(32);
        builder.HasIndex(p => p.Name).IsUnique();
        // At most one default provider: a partial unique index over the rows that claim it.
        builder.HasIndex(p => p.IsDefault).IsUnique().HasFilter("\"is_default\"").HasDatabaseName("ux_llm_providers_single_default");
        builder.HasMany(p => p.Models).WithOne(m => m.Provider).HasForeignKey(m => m.ProviderId).OnDelete(DeleteBehavior.Restrict);
    }
}
