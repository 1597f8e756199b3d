using Microsoft.EntityFrameworkCore;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Responses;

/// <summary>
/// The Responses API calls the gateway keeps, shared by every instance through the database: each call's own items (its
/// input as sent, then its output) and the call it continued, for <see cref="Retention"/>, encrypted under the master
/// key and readable only with the virtual key that made the call. A later call continues from one
/// (<c>previous_response_id</c>: <see cref="ConversationAsync"/> walks the chain) or refers to one of its items
/// (<c>item_reference</c>: <see cref="ItemsByIdAsync"/>), whichever provider serves it. Keeping only each call's own
/// items keeps a chain of N calls at N calls' worth of rows. Expired rows are never read, and are deleted in bounded
/// batches (<see cref="PruneAsync"/>).
/// </summary>
public sealed class ResponseStore(IDbContextFactory<ModelgateDbContext> contexts, SecretProtector protector, TimeProvider time, TimeSpan retention)
{
    private const int PruneBatch = 1000;

    /// <summary>The most calls a conversation read back may span.</summary>
    public const int MaxChain = 1000;

    /// <summary>The longest id kept for an item or a call (longer item ids are kept without their id).</summary>
    public const int MaxIdLength = 128;

    /// <summary>How long a call's items are kept; zero keeps none.</summary>
    public TimeSpan Retention { get; } = retention;

    public bool Keeps => Retention > TimeSpan.Zero;

    /// <summary>
    /// Keeps a call's own items, in order, each with its own id when it has one, and the call it continued. Keeping the
    /// same response id twice keeps the first (a replayed call changes nothing).
    /// </summary>
    public async Task KeepAsync(
        string responseId, Guid keyId, string? previousResponseId, IReadOnlyList<(string? Id, string Json)> items, CancellationToken cancellationToken)
    {
        if (!Keeps || items.Count == 0 || !IsUsableId(responseId))
        {
            return;
        }

        var expiresAt = time.UtcNow() + Retention;
        await using var db = contexts.CreateDbContext();
        if (await db.ResponseItems.AnyAsync(i => i.ResponseId == responseId, cancellationToken))
        {
            return;
        }

        db.ResponseItems.AddRange(items.Select((item, ordinal) => new StoredResponseItemEntity
        {
            ResponseId = responseId,
            Ordinal = ordinal,
            ItemId = IsUsableId(item.Id) ? item.Id : null,
            PreviousResponseId = IsUsableId(previousResponseId) ? previousResponseId : null,
            KeyId = keyId,
            Body = protector.Protect(item.Json, Context(responseId, ordinal, keyId)),
            ExpiresAt = expiresAt,
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance kept the same response meanwhile: the first one stays.
            if (!await IsKeptAsync(responseId, cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>
    /// A kept call's conversation: the items of every call in its chain, oldest first (each call's input as sent, then
    /// its output); null when the call, or one it continued, is not there for this key (never kept, expired, another
    /// key's) or the chain is longer than <see cref="MaxChain"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ConversationAsync(string responseId, Guid keyId, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        await using var db = contexts.CreateDbContext();
        var calls = new List<List<string>>();
        for (string? id = responseId; id is not null; )
        {
            if (calls.Count == MaxChain)
            {
                return null;
            }

            var current = id;
            var rows = await db.ResponseItems.AsNoTracking()
                .Where(i => i.ResponseId == current && i.KeyId == keyId && i.ExpiresAt > now)
                .OrderBy(i => i.Ordinal)
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return null;
            }

            var items = new List<string>(rows.Count);
            foreach (var row in rows)
            {
                if (Read(row) is not { } json)
                {
                    return null;
                }

                items.Add(json);
            }

            calls.Add(items);
            id = rows[0].PreviousResponseId;
        }

        calls.Reverse();
        return [.. calls.SelectMany(items => items)];
    }

    /// <summary>The kept items with these ids that this key's calls produced or sent (the latest kept of each), by id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ItemsByIdAsync(IReadOnlyCollection<string> ids, Guid keyId, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        await using var db = contexts.CreateDbContext();
        var rows = await db.ResponseItems.AsNoTracking()
            .Where(i => i.ItemId != null && ids.Contains(i.ItemId) && i.KeyId == keyId && i.ExpiresAt > now)
            .ToListAsync(cancellationToken);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows.OrderByDescending(r => r.ExpiresAt))
        {
            if (!found.ContainsKey(row.ItemId!) && Read(row) is { } json)
            {
                found[row.ItemId!] = json;
            }
        }

        return found;
    }

    /// <summary>Deletes expired items, a bounded batch per transaction; returns how many went.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var pruned = 0;
        while (true)
        {
            var now = time.UtcNow();
            await using var db = contexts.CreateDbContext();
            // The expiry of the batch's last row bounds the delete (rows expiring at the same instant go with it).
            var bound = await db.ResponseItems.Where(i => i.ExpiresAt <= now).OrderBy(i => i.ExpiresAt).Skip(PruneBatch - 1)
                .Select(i => (DateTime?)i.ExpiresAt).FirstOrDefaultAsync(cancellationToken) ?? now;
            var deleted = await db.ResponseItems.Where(i => i.ExpiresAt <= bound).ExecuteDeleteAsync(cancellationToken);
            pruned += deleted;
            if (deleted < PruneBatch)
            {
                return pruned;
            }
        }
    }

    private async Task<bool> IsKeptAsync(string responseId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.ResponseItems.AnyAsync(i => i.ResponseId == responseId, cancellationToken);
    }

    private static bool IsUsableId(string? id) => id is { Length: > 0 and <= MaxIdLength } && !id.Contains('\0', StringComparison.Ordinal);

    // An item whose key was retired since (a rotated master key) cannot be read: it counts as gone.
    private string? Read(StoredResponseItemEntity row)
    {
        try
        {
            return protector.Unprotect(row.Body, Context(row.ResponseId, row.Ordinal, row.KeyId));
        }
        catch (SecretDecryptionException)
        {
            return null;
        }
    }

    // Bound to its call, place and key: a row moved to another call or key does not decrypt.
    private static SecretContext Context(string responseId, int ordinal, Guid keyId) =>
        new("response_items", "body", $"{responseId}/{ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{keyId:D}");
}
