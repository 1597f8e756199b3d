using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class ConfigVersionConfiguration : IEntityTypeConfiguration<ConfigVersionEntity>
{
    public void Configure(EntityTypeBuilder<ConfigVersionEntity> builder)
    {
        builder.ToTable("config_versions");
        builder.HasKey(v => v.Version);
        // Versions are assigned under the catalog write lock (max + 1), never by the database.
        builder.Property(v => v.Version).ValueGeneratedNever();
        builder.Property(v => v.Actor).HasMaxLength(100);
        builder.Property(v => v.Summary).HasMaxLength(2000);
    }
}
