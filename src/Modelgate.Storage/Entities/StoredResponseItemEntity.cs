namespace Modelgate.Storage.Entities;

/// <summary>
/// A row of <c>response_items</c>: one item (a message, a function call or its output, a reasoning item) of a Responses
/// API call the gateway served and keeps — its own input as sent (references left as they were), then its output, in
/// order, with the call it continued (<see cref="PreviousResponseId"/>) — so a later call can continue from it
/// (<c>previous_response_id</c>) or refer to one of its items (<c>item_reference</c>). The item's JSON is encrypted
/// under the master key, bound to its row and key; only the key that made the call can read it back. Rows go at
/// <see cref="ExpiresAt"/>.
/// </summary>
public sealed class StoredResponseItemEntity
{
    public required string ResponseId { get; set; }
    public int Ordinal { get; set; }

    /// <summary>The item's own id (<c>msg_…</c>, <c>fc_…</c>), when it has one.</summary>
    public string? ItemId { get; set; }

    /// <summary>The call this one continued (its <c>previous_response_id</c>), on every row of the call.</summary>
    public string? PreviousResponseId { get; set; }

    public Guid KeyId { get; set; }
    public required string Body { get; set; }
    public DateTime ExpiresAt { get; set; }
}
