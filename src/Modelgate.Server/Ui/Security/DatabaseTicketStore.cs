using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Modelgate.Storage;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Keeps console sessions on the server (in the database, so every instance sees them); the cookie carries only the
/// session's id. Signing out deletes the session, which a cookie holding the whole ticket could not do. While the
/// database cannot be reached, sessions this instance has seen keep working from memory (a sign-out made elsewhere
/// meanwhile reaches this instance when the database is back).
/// </summary>
internal sealed class DatabaseTicketStore(AdminSessionStore sessions) : ITicketStore
{
    /// <summary>The ticket property holding the sign-in time (kept through renewals).</summary>
    public const string SignedInItem = "modelgate.signed_in";

    private static readonly TimeSpan Fallback = TimeSpan.FromHours(8);
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _seen = new(StringComparer.Ordinal);

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var key = await sessions.CreateAsync(TicketSerializer.Default.Serialize(ticket), SignedIn(ticket), Expiry(ticket), cancellationToken);
        foreach (var (old, seen) in _seen)
        {
            if (seen.Properties.ExpiresUtc < DateTimeOffset.UtcNow)
            {
                _seen.TryRemove(old, out _);
            }
        }

        _seen[key] = ticket;
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        try
        {
            await sessions.RenewAsync(key, TicketSerializer.Default.Serialize(ticket), SignedIn(ticket), Expiry(ticket), cancellationToken);
            _seen[key] = ticket;
        }
        catch (Exception e) when (CatalogMonitor.IsDatabaseUnavailable(e))
        {
            // The session keeps its stored end; extending it waits for the database.
        }
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            if (await sessions.FindAsync(key, cancellationToken) is { } bytes)
            {
                return _seen[key] = TicketSerializer.Default.Deserialize(bytes)!;
            }

            _seen.TryRemove(key, out _);
            return null;
        }
        catch (Exception e) when (CatalogMonitor.IsDatabaseUnavailable(e))
        {
            return _seen.TryGetValue(key, out var ticket) && ticket.Properties.ExpiresUtc > DateTimeOffset.UtcNow ? ticket : null;
        }
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _seen.TryRemove(key, out _);
        try
        {
            await sessions.EndAsync(key, cancellationToken);
        }
        catch (Exception e) when (CatalogMonitor.IsDatabaseUnavailable(e))
        {
            // Signed out here (the cookie goes); the stored session ends at its expiry.
        }
    }

    private static DateTimeOffset Expiry(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow + Fallback;

    private static DateTimeOffset SignedIn(AuthenticationTicket ticket) =>
        ticket.Properties.Items.TryGetValue(SignedInItem, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : ticket.Properties.IssuedUtc ?? DateTimeOffset.UtcNow;
}
