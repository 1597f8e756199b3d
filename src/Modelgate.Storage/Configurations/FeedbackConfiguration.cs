using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Configurations;

internal sealed class FeedbackConfiguration : IEntityTypeConfiguration<FeedbackEntity>
{
    public void Configure(EntityTypeBuilder<FeedbackEntity> builder)
    {
        builder.ToTable("feedback");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Variant).HasMaxLength(200);
        builder.Property(f => f.Metric).HasMaxLength(64);
        builder.HasIndex(f => new { f.ExperimentId, f.Variant, f.Metric });
        // A retried POST, or a changed mind, replaces the call's value for the metric rather than counting twice.
        builder.HasIndex(f => new { f.RequestId, f.Metric }).IsUnique();
    }
}
