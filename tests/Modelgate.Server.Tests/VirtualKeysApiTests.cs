using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Server.Tests.Support;

namespace Modelgate.Server.Tests;

public abstract class VirtualKeysApiTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    private CatalogSnapshot Snapshot => server.App.Services.GetRequiredService<CurrentCatalog>().State.Snapshot;

    [Fact]
    public async Task Create_ReturnsTheSecretOnce_AndStoresOnlyItsHash()
    {
        var response = await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("team-a"), allowed_purposes = new[] { "agents", "agents/*" } });
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var secret = created.Str("key");
        var id = created.GetProperty("virtual_key").Str("id");

        Assert.StartsWith("mg-", secret, StringComparison.Ordinal);
        Assert.Equal(secret[..10], created.GetProperty("virtual_key").Str("key_prefix"));
        Assert.Equal("active", created.GetProperty("virtual_key").Str("status"));
        var read = await (await Admin.GetAsync($"/api/v1/keys/{id}")).Content.ReadAsStringAsync();
        var list = await (await Admin.GetAsync("/api/v1/keys?limit=200")).Content.ReadAsStringAsync();
        var audit = await (await Admin.GetAsync("/api/v1/audit?entity_type=virtual_key&limit=200")).Content.ReadAsStringAsync();
        Assert.All(new[] { read, list, audit }, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        var stored = (string?)await server.Database.ScalarAsync($"SELECT key_hash FROM virtual_keys WHERE key_prefix = '{secret[..10]}'");
        Assert.Equal(VirtualKey.Hash(secret), stored);
        Assert.True(Snapshot.VirtualKeys.ContainsKey(VirtualKey.Hash(secret)), "the key is in the catalog in effect");
    }

    [Fact]
    public async Task Revoke_TakesEffectInTheCatalogBeforeTheCallReturns()
    {
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("revoke-me") })).ExpectAsync(HttpStatusCode.Created);
        var hash = VirtualKey.Hash(created.Str("key"));
        Assert.Null(Snapshot.VirtualKeys[hash].Unusable(DateTimeOffset.UtcNow));

        var revoked = await (await Admin.PostAsync($"/api/v1/keys/{created.GetProperty("virtual_key").Str("id")}/revoke", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("revoked", revoked.Str("status"));
        Assert.Equal("the API key was revoked", Snapshot.VirtualKeys[hash].Unusable(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Update_ChangesAllowListsAndExpiry_AndTheKeyEnforcesThem()
    {
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("scoped") })).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("virtual_key").Str("id");
        var expiry = DateTimeOffset.UtcNow.AddDays(30);

        var updated = await (await Admin.PutJsonAsync($"/api/v1/keys/{id}", new { allowed_purposes = new[] { "embeddings" }, allowed_models = new[] { "text-embedding-3-small" }, expires_at = expiry })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["embeddings"], updated.GetProperty("allowed_purposes").EnumerateArray().Select(e => e.GetString()));
        var key = Snapshot.VirtualKeys[VirtualKey.Hash(created.Str("key"))];
        Assert.True(key.Allows("embeddings", "text-embedding-3-small"));
        Assert.False(key.Allows("chat", "text-embedding-3-small"));
        Assert.False(key.Allows("embeddings", "text-embedding-3-large"));
        Assert.Null(key.Unusable(expiry.AddSeconds(-1)));
        Assert.StartsWith("the API key expired at", key.Unusable(expiry.AddSeconds(1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"allowed_purposes":["completion"]}""", "allowed_purposes")]
    [InlineData("""{"name":"x","expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"name":"x","key":"mg-chosen-by-me"}""", "key")]
    [InlineData("""{"name":"x","key_hash":"abc"}""", "key_hash")]
    [InlineData("""{"name":""}""", "name")]
    public async Task Create_BadInput_Is400NamingTheField(string body, string field)
    {
        var problem = await (await Admin.SendRawAsync(HttpMethod.Post, "/api/v1/keys", body)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task UnknownKey_Is404()
    {
        await (await Admin.GetAsync($"/api/v1/keys/{Guid.NewGuid()}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await Admin.PostAsync($"/api/v1/keys/{Guid.NewGuid()}/revoke", null)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rollback_DoesNotBringBackARevokedKey()
    {
        var created = await (await Admin.PostJsonAsync("/api/v1/keys", new { name = Catalog.Unique("no-resurrection") })).ExpectAsync(HttpStatusCode.Created);
        var before = Snapshot.Version;
        await (await Admin.PostAsync($"/api/v1/keys/{created.GetProperty("virtual_key").Str("id")}/revoke", null)).ExpectAsync(HttpStatusCode.OK);

        await (await Admin.PostAsync($"/api/v1/config/versions/{before}/rollback", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.NotNull(Snapshot.VirtualKeys[VirtualKey.Hash(created.Str("key"))].RevokedAt);
    }
}

public sealed class VirtualKeysApiTests_Sqlite(SqliteServer server) : VirtualKeysApiTests<SqliteServer>(server);

public sealed class VirtualKeysApiTests_Postgres(PostgresServer server) : VirtualKeysApiTests<PostgresServer>(server);
