namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>response_items</c>: one item (a message, a function call or its output, a reasoning item) of a Responses
/// API call the gateway served and keeps — its whole input, then its output, in order — so a later call can continue
/// from it (<c>previous_response_id</c>) or refer to one of its items (<c>item_reference</c>). The item's JSON is
/// encrypted under the master key; only the key that made the call can read it back. Rows go at <see cref="ExpiresAt"/>.
/// </summary>
public sealed class StoredResponseItemEntity
{
    public required string ResponseId { get; set; }
    public int Ordinal { get; set; }

    /// <summary>The item's own id (<c>msg_…</c>, <c>fc_…</c>), when it has one.</summary>
    public string? ItemId { get; set; }

    public Guid KeyId { get; set; }
    public required string Body { get; set; }
    public DateTime ExpiresAt { get; set; }
}
