using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class ModelConfiguration : IEntityTypeConfiguration<ModelEntity>
{
    public void Configure(EntityTypeBuilder<ModelEntity> builder)
    {
        builder.ToTable("llm_models");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.ModelId).HasMaxLength(200);
        builder.Property(m => m.DisplayName).HasMaxLength(200);
        builder.Property(m => m.Type).HasMaxLength(32);
        builder.Property(m => m.InputPricePerMillion).HasPrecision(18, 6);
        builder.Property(m => m.OutputPricePerMillion).HasPrecision(18, 6);
        builder.Property(m => m.CachedInputPricePerMillion).HasPrecision(18, 6);
        builder.HasIndex(m => new { m.ProviderId, m.ModelId }).IsUnique();
        builder.HasIndex(m => m.ModelId);
    }
}
