using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Modelgate.Storage;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Keeps console sessions on the server (in the database, so every instance sees them); the cookie carries only the
/// session's id. Signing out deletes the session, which a cookie holding the whole ticket could not do.
/// </summary>
internal sealed class DatabaseTicketStore(AdminSessionStore sessions) : ITicketStore
{
    private static readonly TimeSpan Fallback = TimeSpan.FromHours(8);

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        sessions.CreateAsync(TicketSerializer.Default.Serialize(ticket), Expiry(ticket), cancellationToken);

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        sessions.RenewAsync(key, TicketSerializer.Default.Serialize(ticket), Expiry(ticket), cancellationToken);

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) =>
        await sessions.FindAsync(key, cancellationToken) is { } bytes ? TicketSerializer.Default.Deserialize(bytes) : null;

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => sessions.EndAsync(key, cancellationToken);

    private static DateTimeOffset Expiry(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow + Fallback;
}
