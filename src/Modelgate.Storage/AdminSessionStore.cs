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
    /// Extends a session that is still there (never past <see cref="MaxAge"/> from its sign-in). An ended session stays
    /// ended: a sign-in always starts a new session with a new id.
    /// </summary>
    public async Task RenewAsync(string id, byte[] ticket, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        if (await db.AdminSessions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } session)
        {
            return;
        }

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
