namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>admin_sessions</c>: one signed-in console session. The browser holds only its id (inside a signed,
/// encrypted cookie); signing out deletes the row, so a copied cookie stops working everywhere at once.
/// </summary>
public sealed class AdminSessionEntity
{
    public required string Id { get; set; }
    public required byte[] Ticket { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
