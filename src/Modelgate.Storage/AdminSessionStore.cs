using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage;

/// <summary>
/// Console sessions kept in the database, shared by every instance: created at sign-in, read on each console
/// request, deleted at sign-out or when they expire. A session never outlives <see cref="MaxAge"/> from sign-in,
/// however active it is.
/// </summary>
public sealed class AdminSessionStore(IDbContextFactory<ModelgateDbContext> contexts, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);

    /// <summary>How recent a sign-in must be for a renewal of a missing session to start it again (see <see cref="RenewAsync"/>).</summary>
    private static readonly TimeSpan FreshSignIn = TimeSpan.FromMinutes(1);

    public async Task<string> CreateAsync(byte[] ticket, DateTimeOffset signedInAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        await using var db = contexts.CreateDbContext();
        // Sessions past their end go as new ones come: the table holds only live sessions and a few stale ones.
        await db.AdminSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var createdAt = Clock.Stored(signedInAt.UtcDateTime);
        db.AdminSessions.Add(new AdminSessionEntity { Id = id, Ticket = ticket, CreatedAt = createdAt, ExpiresAt = Cap(createdAt, expiresAt) });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <summary>The session's ticket, or null when it was ended, has expired or is older than <see cref="MaxAge"/>.</summary>
    public async Task<byte[]?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        await using var db = contexts.CreateDbContext();
        var session = await db.AdminSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        return session is not null && session.ExpiresAt > now ? session.Ticket : null;
    }

    /// <summary>
    /// Extends a session. A sign-in made while a session cookie was present arrives here too, with its new sign-in
    /// time: the session then starts again from that time, and is created again if it had just been ended (an admin
    /// token change). A renewal of an ended session without a fresh sign-in leaves it ended.
    /// </summary>
    public async Task RenewAsync(string id, byte[] ticket, DateTimeOffset signedInAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var signedIn = Clock.Stored(signedInAt.UtcDateTime);
        await using var db = contexts.CreateDbContext();
        var session = await db.AdminSessions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null)
        {
            if (time.UtcNow() - signedIn > FreshSignIn)
            {
                return;
            }

            session = new AdminSessionEntity { Id = id, Ticket = ticket, CreatedAt = signedIn };
            db.AdminSessions.Add(session);
        }

        session.CreatedAt = signedIn > session.CreatedAt ? signedIn : session.CreatedAt;
        session.Ticket = ticket;
        session.ExpiresAt = Cap(session.CreatedAt, expiresAt);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task EndAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await db.AdminSessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
    }

    private static DateTime Cap(DateTime createdAt, DateTimeOffset expiresAt) =>
        Clock.Stored(new[] { expiresAt.UtcDateTime, createdAt + MaxAge }.Min());
}
