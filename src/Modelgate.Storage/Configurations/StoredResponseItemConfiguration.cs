using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class StoredResponseItemConfiguration : IEntityTypeConfiguration<StoredResponseItemEntity>
{
    public void Configure(EntityTypeBuilder<StoredResponseItemEntity> builder)
    {
        builder.ToTable("response_items");
        builder.HasKey(i => new { i.ResponseId, i.Ordinal });
        builder.Property(i => i.ResponseId).HasMaxLength(128);
        builder.Property(i => i.ItemId).HasMaxLength(128);
        builder.Property(i => i.PreviousResponseId).HasMaxLength(128);
        builder.HasIndex(i => i.ItemId);
        builder.HasIndex(i => i.ExpiresAt);
    }
}
