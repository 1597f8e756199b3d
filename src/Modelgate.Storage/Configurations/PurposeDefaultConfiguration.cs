using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class PurposeDefaultConfiguration : IEntityTypeConfiguration<PurposeDefaultEntity>
{
    public void Configure(EntityTypeBuilder<PurposeDefaultEntity> builder)
    {
        builder.ToTable("purpose_defaults");
        builder.HasKey(d => d.Purpose);
        builder.Property(d => d.Purpose).HasMaxLength(80);
        builder.HasOne(d => d.Model).WithMany().HasForeignKey(d => d.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
