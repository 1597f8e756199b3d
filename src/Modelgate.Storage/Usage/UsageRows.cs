using System.Data.Common;
using Microsoft.Data.Sqlite;
using Modelgate.Storage.Entities;
using Npgsql;
using NpgsqlTypes;

namespace Modelgate.Storage.Usage;

/// <summary>
/// Usage rows in plain ADO.NET, for speed. Inserts the fast way each engine offers, inside the caller's transaction: on SQLite one prepared
/// statement executed per row; on PostgreSQL one statement over arrays (<c>unnest</c>), one round trip per batch.
/// A request id already stored is skipped (<c>ON CONFLICT DO NOTHING</c>), so a replayed spill file never counts a
/// call twice. EF Core's change tracking would cost several times more CPU per row, and the usage writer shares the
/// gateway's cores.
/// </summary>
internal static class UsageRows
{
    private const string Columns = "request_id, at_ms, series_id, input_tokens, output_tokens, cached_tokens, cost_picos, latency_ms, ttft_ms, status, error_class, flags, config_version, session_hash";

    /// <summary>Inserts the rows; returns, for each, whether it was new.</summary>
    public static bool[] Insert(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageRecordEntity> rows, int timeoutSeconds) =>
        connection is NpgsqlConnection postgres
            ? InsertPostgres(postgres, (NpgsqlTransaction)transaction, rows, timeoutSeconds)
            : InsertSqlite((SqliteConnection)connection, (SqliteTransaction)transaction, rows, timeoutSeconds);

    /// <summary>Adds a key's spend on a day to <c>key_spend</c> (saturating instead of overflowing).</summary>
    public static void AddSpend(DbConnection connection, DbTransaction transaction, Guid key, int day, long picos, int timeoutSeconds)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = timeoutSeconds;
        command.CommandText = "INSERT INTO key_spend (key_id, day, cost_picos) VALUES (@key, @day, @picos) ON CONFLICT (key_id, day) DO UPDATE SET cost_picos = "
            + "CASE WHEN key_spend.cost_picos > 9223372036854775807 - excluded.cost_picos THEN 9223372036854775807 ELSE key_spend.cost_picos + excluded.cost_picos END";
        // EF Core keeps a Guid as upper-case text on SQLite, as uuid on PostgreSQL.
        UsageReads.Parameter(command, "@key", connection is NpgsqlConnection ? key : key.ToString().ToUpperInvariant());
        UsageReads.Parameter(command, "@day", day);
        UsageReads.Parameter(command, "@picos", picos);
        command.ExecuteNonQuery();
    }

    private static bool[] InsertSqlite(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<UsageRecordEntity> rows, int timeoutSeconds)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = timeoutSeconds;
        command.CommandText = $"INSERT INTO usage_records ({Columns}) VALUES ($r, $a, $s, $i, $o, $c, $p, $l, $t, $st, $e, $f, $v, $h) ON CONFLICT (request_id) DO NOTHING";
        var p = new[] { "$r", "$a", "$s", "$i", "$o", "$c", "$p", "$l", "$t", "$st", "$e", "$f", "$v", "$h" }.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        command.Prepare();
        var inserted = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            p[0].Value = row.RequestId;
            p[1].Value = row.AtMs;
            p[2].Value = row.SeriesId;
            p[3].Value = row.InputTokens;
            p[4].Value = row.OutputTokens;
            p[5].Value = row.CachedTokens;
            p[6].Value = (object?)row.CostPicos ?? DBNull.Value;
            p[7].Value = row.LatencyMs;
            p[8].Value = (object?)row.TtftMs ?? DBNull.Value;
            p[9].Value = row.Status;
            p[10].Value = (object?)row.ErrorClass ?? DBNull.Value;
            p[11].Value = row.Flags;
            p[12].Value = row.ConfigVersion;
            p[13].Value = (object?)row.SessionHash ?? DBNull.Value;
            inserted[i] = command.ExecuteNonQuery() == 1;
        }

        return inserted;
    }

    private static bool[] InsertPostgres(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<UsageRecordEntity> rows, int timeoutSeconds)
    {
        using var command = new NpgsqlCommand(
            $"INSERT INTO usage_records ({Columns}) SELECT * FROM unnest(@r, @a, @s, @i, @o, @c, @p, @l, @t, @st, @e, @f, @v, @h) ON CONFLICT (request_id) DO NOTHING RETURNING request_id",
            connection, transaction) { CommandTimeout = timeoutSeconds };
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("r", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.RequestId)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("a", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.AtMs)] });
        command.Parameters.Add(new NpgsqlParameter<int[]>("s", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. rows.Select(r => r.SeriesId)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("i", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.InputTokens)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("o", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.OutputTokens)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("c", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.CachedTokens)] });
        command.Parameters.Add(new NpgsqlParameter<long?[]>("p", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.CostPicos)] });
        command.Parameters.Add(new NpgsqlParameter<int[]>("l", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. rows.Select(r => r.LatencyMs)] });
        command.Parameters.Add(new NpgsqlParameter<int?[]>("t", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. rows.Select(r => r.TtftMs)] });
        command.Parameters.Add(new NpgsqlParameter<int[]>("st", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. rows.Select(r => r.Status)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("e", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { TypedValue = [.. rows.Select(r => r.ErrorClass)] });
        command.Parameters.Add(new NpgsqlParameter<int[]>("f", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. rows.Select(r => r.Flags)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("v", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.ConfigVersion)] });
        command.Parameters.Add(new NpgsqlParameter<long?[]>("h", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.SessionHash)] });
        var added = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                added.Add(Convert.ToHexString((byte[])reader[0]));
            }
        }

        // A request id twice in the batch (a spill file and the journal it was recovered from, both replayed) was
        // inserted once: only its first copy is new.
        return [.. rows.Select(r => added.Remove(Convert.ToHexString(r.RequestId)))];
    }

    /// <summary>Whether any raw row lies in [<paramref name="fromMs"/>, <paramref name="toMs"/>), in the context's transaction.</summary>
    public static async Task<bool> AnyAsync(ModelgateDbContext db, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        await using var command = await UsageReads.CommandAsync(db, cancellationToken);
        command.CommandText = "SELECT 1 FROM usage_records WHERE at_ms >= @from AND at_ms < @to LIMIT 1";
        UsageReads.Parameter(command, "@from", fromMs);
        UsageReads.Parameter(command, "@to", toMs);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Reads the raw rows in [<paramref name="fromMs"/>, <paramref name="toMs"/>) — of the given series only, when
    /// given — with a plain data reader in the context's connection and transaction. Summing is per row, so this
    /// avoids EF Core's per-row materialization, which cost more than the summing itself.
    /// </summary>
    public static async Task ReadAsync(ModelgateDbContext db, long fromMs, long toMs, IReadOnlyCollection<int>? seriesIds, Action<RawUsage> visit, CancellationToken cancellationToken)
    {
        await using var command = await UsageReads.CommandAsync(db, cancellationToken);
        var series = UsageReads.SeriesFilter(seriesIds);
        // "Failed" as UsageRecord.IsError defines it: an error status or an error class.
        command.CommandText = "SELECT at_ms, series_id, input_tokens, output_tokens, cached_tokens, cost_picos, latency_ms, ttft_ms, "
            + "CASE WHEN status >= 400 OR error_class IS NOT NULL THEN 1 ELSE 0 END, flags, status FROM usage_records WHERE at_ms >= @from AND at_ms < @to" + series;
        UsageReads.Parameter(command, "@from", fromMs);
        UsageReads.Parameter(command, "@to", toMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            visit(new RawUsage(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.GetInt32(8) != 0, reader.GetInt32(9), reader.GetInt32(10)));
        }
    }
}
