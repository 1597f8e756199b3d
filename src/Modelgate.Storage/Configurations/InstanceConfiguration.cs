using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class InstanceConfiguration : IEntityTypeConfiguration<InstanceEntity>
{
    public void Configure(EntityTypeBuilder<InstanceEntity> builder)
    {
        builder.ToTable("instances");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(64);
        builder.Property(i => i.Host).HasMaxLength(255);
        builder.Property(i => i.ConfigSource).HasMaxLength(32);
        builder.HasIndex(i => i.HeartbeatAt);
    }
}
