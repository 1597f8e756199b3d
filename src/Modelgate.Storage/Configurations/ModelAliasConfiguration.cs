using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class ModelAliasConfiguration : IEntityTypeConfiguration<ModelAliasEntity>
{
    public void Configure(EntityTypeBuilder<ModelAliasEntity> builder)
    {
        builder.ToTable("model_aliases");
        builder.HasKey(a => a.Name);
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.Description).HasMaxLength(500);
        builder.HasIndex(a => a.ModelId);
        // Deleting a model an alias points at is refused by ModelStore (or clears the aliases, with force and audited);
        // the database never drops an alias on its own.
        builder.HasOne(a => a.Model).WithMany().HasForeignKey(a => a.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
