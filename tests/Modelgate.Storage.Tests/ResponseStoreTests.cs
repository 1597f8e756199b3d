using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Modelgate.Core.Secrets;
using Modelgate.Storage.Responses;
using Modelgate.Testing;

namespace Modelgate.Storage.Tests;

/// <summary>The Responses API calls the gateway keeps: per key, until they expire, then deleted in batches; on both databases.</summary>
public sealed class ResponseStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(TestDatabase Database, ModelgateDbContextFactory Contexts, ResponseStore Store, FakeTimeProvider Time)> StoreAsync(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var contexts = new ModelgateDbContextFactory(database.Options);
        await new DatabaseInitializer(contexts, database.Options).MigrateAsync(CancellationToken.None);
        var keys = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = Path.Combine(database.DataDirectory.Path, "master.key") });
        Assert.True(keys.TryLoad(createIfMissing: true));
        var time = new FakeTimeProvider(Now);
        return (database, contexts, new ResponseStore(contexts, new SecretProtector(keys), time, TimeSpan.FromDays(2)), time);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task AKeptCall_IsReadBackInOrder_ByItsKeyOnly_UntilItExpires(DatabaseKind kind)
    {
        var (database, _, store, time) = await StoreAsync(kind);
        await using var _ = database;
        var key = Guid.NewGuid();
        await store.KeepAsync("resp_1", key, null, [(null, """{"role":"user","content":"hi"}"""), ("msg_1", """{"id":"msg_1","type":"message"}""")], CancellationToken.None);

        Assert.Equal(["""{"role":"user","content":"hi"}""", """{"id":"msg_1","type":"message"}"""], await store.ConversationAsync("resp_1", key, CancellationToken.None));
        Assert.Equal("""{"id":"msg_1","type":"message"}""", (await store.ItemsByIdAsync(["msg_1", "msg_unknown"], key, CancellationToken.None)).Single().Value);
        Assert.Null(await store.ConversationAsync("resp_1", Guid.NewGuid(), CancellationToken.None));
        Assert.Empty(await store.ItemsByIdAsync(["msg_1"], Guid.NewGuid(), CancellationToken.None));

        time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));

        Assert.Null(await store.ConversationAsync("resp_1", key, CancellationToken.None));
        Assert.Empty(await store.ItemsByIdAsync(["msg_1"], key, CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task AChainOfCalls_IsKeptOncePerCall_AndReadBackWhole_UntilItsFirstCallExpires(DatabaseKind kind)
    {
        var (database, contexts, store, time) = await StoreAsync(kind);
        await using var _ = database;
        var key = Guid.NewGuid();
        await store.KeepAsync("resp_a", key, null, [(null, "\"a in\""), ("msg_a", "\"a out\"")], CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        await store.KeepAsync("resp_b", key, "resp_a", [(null, "\"b in\""), ("msg_b", "\"b out\"")], CancellationToken.None);
        await store.KeepAsync("resp_c", key, "resp_b", [(null, "\"c in\""), ("msg_c", "\"c out\"")], CancellationToken.None);

        Assert.Equal(["\"a in\"", "\"a out\"", "\"b in\"", "\"b out\"", "\"c in\"", "\"c out\""], await store.ConversationAsync("resp_c", key, CancellationToken.None));
        await using (var db = contexts.CreateDbContext())
        {
            Assert.Equal(6, await db.ResponseItems.CountAsync());
        }

        Assert.Null(await store.ConversationAsync("resp_c", Guid.NewGuid(), CancellationToken.None));
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Null(await store.ConversationAsync("resp_c", key, CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task KeepingTheSameResponseTwice_KeepsTheFirst(DatabaseKind kind)
    {
        var (database, _, store, _) = await StoreAsync(kind);
        await using var _ = database;
        var key = Guid.NewGuid();

        await store.KeepAsync("resp_twice", key, null, [(null, "\"first\"")], CancellationToken.None);
        await store.KeepAsync("resp_twice", key, null, [(null, "\"second\""), (null, "\"more\"")], CancellationToken.None);

        Assert.Equal(["\"first\""], await store.ConversationAsync("resp_twice", key, CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Pruning_DeletesOnlyExpiredItems_InBatches(DatabaseKind kind)
    {
        var (database, contexts, store, time) = await StoreAsync(kind);
        await using var _ = database;
        var key = Guid.NewGuid();
        var items = Enumerable.Range(0, 1500).Select(i => ((string?)null, $"\"old {i}\"")).ToList();
        await store.KeepAsync("resp_old", key, null, items, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        await store.KeepAsync("resp_new", key, null, [(null, "\"new\"")], CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var pruned = await store.PruneAsync(CancellationToken.None);

        Assert.Equal(1500, pruned);
        await using var db = contexts.CreateDbContext();
        Assert.Equal(["resp_new"], await db.ResponseItems.Select(i => i.ResponseId).ToListAsync());
        Assert.Equal(["\"new\""], await store.ConversationAsync("resp_new", key, CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task AnItemIdTooLongToIndex_IsKeptWithoutItsId(DatabaseKind kind)
    {
        var (database, _, store, _) = await StoreAsync(kind);
        await using var _ = database;
        var key = Guid.NewGuid();
        var longId = "msg_" + new string('x', 300);

        await store.KeepAsync("resp_long", key, null, [(longId, "\"item\"")], CancellationToken.None);

        Assert.Equal(["\"item\""], await store.ConversationAsync("resp_long", key, CancellationToken.None));
        Assert.Empty(await store.ItemsByIdAsync([longId], key, CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task WithNoRetention_NothingIsKept(DatabaseKind kind)
    {
        var (database, contexts, _, time) = await StoreAsync(kind);
        await using var _ = database;
        var keys = new MasterKeyStore(new MasterKeyOptions { KeyFilePath = Path.Combine(database.DataDirectory.Path, "master.key") });
        Assert.True(keys.TryLoad(createIfMissing: true));
        var store = new ResponseStore(contexts, new SecretProtector(keys), time, TimeSpan.Zero);

        await store.KeepAsync("resp_none", Guid.NewGuid(), null, [(null, "\"x\"")], CancellationToken.None);

        await using var db = contexts.CreateDbContext();
        Assert.False(store.Keeps);
        Assert.Equal(0, await db.ResponseItems.CountAsync());
    }
}
