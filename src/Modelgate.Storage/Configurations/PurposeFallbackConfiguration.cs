using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class PurposeFallbackConfiguration : IEntityTypeConfiguration<PurposeFallbackEntity>
{
    public void Configure(EntityTypeBuilder<PurposeFallbackEntity> builder)
    {
        builder.ToTable("purpose_fallbacks");
        builder.HasKey(f => new { f.Purpose, f.Position });
        builder.Property(f => f.Purpose).HasMaxLength(80);
        // A deleted model simply leaves the chains it was in.
        builder.HasOne(f => f.Model).WithMany().HasForeignKey(f => f.ModelId).OnDelete(DeleteBehavior.Cascade);
    }
}
