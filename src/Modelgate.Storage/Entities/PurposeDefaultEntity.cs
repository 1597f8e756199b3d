namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>purpose_defaults</c>: the purpose is the primary key, so a purpose has at most one
/// default model by construction ("two defaults" cannot be stored).
/// </summary>
public sealed class PurposeDefaultEntity
{
    public required string Purpose { get; set; }
    public Guid ModelId { get; set; }
    public ModelEntity? Model { get; set; }
    public DateTime UpdatedAt { get; set; }
}
