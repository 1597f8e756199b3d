using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Core.Catalog;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class ExperimentConfiguration : IEntityTypeConfiguration<ExperimentEntity>
{
    public void Configure(EntityTypeBuilder<ExperimentEntity> builder)
    {
        builder.ToTable("experiments");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(ExperimentValidator.MaxNameLength);
        builder.Property(e => e.Target).HasMaxLength(ExperimentValidator.MaxTargetLength);
        builder.Property(e => e.Stickiness).HasMaxLength(16);
        builder.Property(e => e.State).HasMaxLength(16);
        builder.Property(e => e.StopReason).HasMaxLength(ExperimentValidator.MaxStopReasonLength);
        builder.Property(e => e.Description).HasMaxLength(ExperimentValidator.MaxDescriptionLength);
        builder.HasIndex(e => e.Name).IsUnique();
        builder.HasIndex(e => e.Target);
    }
}
