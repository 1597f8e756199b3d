using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class ConfigOwnerConfiguration : IEntityTypeConfiguration<ConfigOwnerEntity>
{
    public void Configure(EntityTypeBuilder<ConfigOwnerEntity> builder)
    {
        builder.ToTable("config_owner");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Source).HasMaxLength(1000);
        builder.Property(o => o.Sha256).HasMaxLength(64);
    }
}
