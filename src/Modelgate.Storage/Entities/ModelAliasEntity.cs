namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>model_aliases</c>: another name clients may send as <c>model</c>, for one model.</summary>
public sealed class ModelAliasEntity
{
    public required string Name { get; set; }
    public Guid ModelId { get; set; }
    public ModelEntity? Model { get; set; }
    public string? Description { get; set; }
    public bool Deprecated { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Revision { get; set; }
}
