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
/// meanwhile reaches this instance when the database is back), and a sign-out made here ends the session here at
/// once and in the database as soon as it answers again.
/// </summary>
internal sealed class DatabaseTicketStore(AdminSessionStore sessions) : ITicketStore
{
    /// <summary>The ticket property holding the sign-in time (kept through renewals).</summary>
    public const string SignedInItem = "modelgate.signed_in";

    private static readonly TimeSpan Fallback = TimeSpan.FromHours(8);
    private static readonly TimeSpan LongestRetryWait = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _seen = new(StringComparer.Ordinal);

    // Sessions signed out here while the database was away, until their rows are gone: refused here meanwhile.
    private readonly ConcurrentDictionary<string, byte> _ending = new(StringComparer.Ordinal);

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
            await sessions.RenewAsync(key, TicketSerializer.Default.Serialize(ticket), Expiry(ticket), cancellationToken);
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
        if (_ending.ContainsKey(key))
        {
            return null;
        }

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
        if (!await TryEndAsync(key, cancellationToken) && _ending.TryAdd(key, 0))
        {
            // The sign-out must reach the database, or a copy of the cookie would still work on other instances (and
            // here, once the database is back): refused here from now on, ended there as soon as it answers.
            _ = EndWhenTheDatabaseIsBackAsync(key);
        }
    }

    private async Task<bool> TryEndAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await sessions.EndAsync(key, cancellationToken);
            return true;
        }
        catch (Exception e) when (CatalogMonitor.IsDatabaseUnavailable(e))
        {
            return false;
        }
    }

    private async Task EndWhenTheDatabaseIsBackAsync(string key)
    {
        // No session outlives MaxAge, so neither does the need to end this one.
        var giveUpAt = DateTimeOffset.UtcNow + AdminSessionStore.MaxAge;
        for (var wait = TimeSpan.FromMilliseconds(500); DateTimeOffset.UtcNow < giveUpAt; wait = wait * 2 > LongestRetryWait ? LongestRetryWait : wait * 2)
        {
            await Task.Delay(wait);
            if (await TryEndAsync(key, CancellationToken.None))
            {
                break;
            }
        }

        _ending.TryRemove(key, out _);
    }

    private static DateTimeOffset Expiry(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow + Fallback;

    private static DateTimeOffset SignedIn(AuthenticationTicket ticket) =>
        ticket.Properties.Items.TryGetValue(SignedInItem, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : ticket.Properties.IssuedUtc ?? DateTimeOffset.UtcNow;
}
