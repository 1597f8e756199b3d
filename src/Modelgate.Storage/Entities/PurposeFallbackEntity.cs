namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>purpose_fallbacks</c>: the model tried at <see cref="Position"/> when a purpose's default fails.</summary>
public sealed class PurposeFallbackEntity
{
    public required string Purpose { get; set; }
    public int Position { get; set; }
    public Guid ModelId { get; set; }
    public ModelEntity? Model { get; set; }
}
