using System.Text;
using Modelgate.Server.Tests.Support;
using Modelgate.Storage;

namespace Modelgate.Server.Tests;

public abstract class SecretsAtRestTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    private HttpClient Admin => server.Admin;

    [Fact]
    public async Task StoredKey_IsCiphertextInTheDatabase_NeverThePlaintext()
    {
        var plaintext = "sk-ant-api03-AtRest-" + Guid.NewGuid().ToString("N") + "-XwAA";
        var provider = await Admin.CreateProviderAsync("anthropic", apiKey: plaintext);

        var stored = (string?)await server.Database.ScalarAsync($"SELECT api_key FROM llm_providers WHERE name = '{provider.Str("name")}'");

        Assert.NotNull(stored);
        Assert.StartsWith("mg1.", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(plaintext, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("AtRest", stored, StringComparison.Ordinal);
        if (server.Kind == DatabaseKind.Sqlite)
        {
            // The whole file (and its write-ahead log) holds no trace of the key.
            var dir = server.Database.DataDirectory.Path;
            foreach (var file in Directory.GetFiles(dir, DatabaseOptions.DatabaseFileName + "*"))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.Latin1);
                Assert.DoesNotContain("AtRest", await reader.ReadToEndAsync(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task StoredVersions_AndTheLastKnownGoodFile_HoldOnlyCiphertext()
    {
        var plaintext = "sk-ant-api03-Snapshot-" + Guid.NewGuid().ToString("N") + "-XwAA";
        await Admin.CreateProviderAsync("anthropic", apiKey: plaintext);
        var decompressed = new List<string>();
        var count = Convert.ToInt64(await server.Database.ScalarAsync("SELECT COUNT(*) FROM config_versions"), System.Globalization.CultureInfo.InvariantCulture);
        for (var offset = 0; offset < count; offset++)
        {
            var blob = (byte[])(await server.Database.ScalarAsync($"SELECT snapshot FROM config_versions ORDER BY version LIMIT 1 OFFSET {offset}"))!;
            decompressed.Add(Gunzip(blob));
        }

        var file = Path.Combine(server.Database.DataDirectory.Path, Storage.Catalog.LastKnownGoodFile.FileName);
        decompressed.Add(Gunzip(await File.ReadAllBytesAsync(file)));

        Assert.Contains(decompressed, text => text.Contains("mg1.", StringComparison.Ordinal));
        Assert.All(decompressed, text => Assert.DoesNotContain("Snapshot-", text, StringComparison.Ordinal));
    }

    private static string Gunzip(byte[] data)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(data), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task Responses_AndAuditRows_NeverCarryTheKey()
    {
        var plaintext = "sk-proj-Responses-" + Guid.NewGuid().ToString("N") + "-QQQQ";
        var provider = await Admin.CreateProviderAsync("openai", apiKey: plaintext);
        var url = $"/api/v1/llm-providers/{provider.Str("id")}";
        var texts = new List<string>
        {
            await (await Admin.GetAsync(url)).Content.ReadAsStringAsync(),
            await (await Admin.GetAsync("/api/v1/llm-providers?limit=200")).Content.ReadAsStringAsync(),
            await (await Admin.PutJsonAsync(url, new { api_key = plaintext + "2" })).Content.ReadAsStringAsync(),
            await (await Admin.GetAsync("/api/v1/audit?limit=200")).Content.ReadAsStringAsync(),
        };

        Assert.All(texts, t => Assert.DoesNotContain("Responses-", t, StringComparison.Ordinal));
        var audit = (long)(await server.Database.ScalarAsync($"SELECT COUNT(*) FROM audit_log WHERE entity_id = '{provider.Str("id")}' AND action = 'provider.update' OR entity_id = '{provider.Str("id")}' AND action = 'provider.create'"))!;
        Assert.Equal(2, audit);
        var auditText = (long)(await server.Database.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE before LIKE '%Responses-%' OR after LIKE '%Responses-%'"))!;
        Assert.Equal(0, auditText);
    }
}

public sealed class SecretsAtRestTests_Sqlite(SqliteServer server) : SecretsAtRestTests<SqliteServer>(server);

public sealed class SecretsAtRestTests_Postgres(PostgresServer server) : SecretsAtRestTests<PostgresServer>(server);
