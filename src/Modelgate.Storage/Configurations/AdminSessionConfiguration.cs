using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class AdminSessionConfiguration : IEntityTypeConfiguration<AdminSessionEntity>
{
    public void Configure(EntityTypeBuilder<AdminSessionEntity> builder)
    {
        builder.ToTable("admin_sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.HasIndex(s => s.ExpiresAt);
    }
}
