using System.Data.Common;
using Microsoft.Data.Sqlite;
using Modelgate.Core.Usage;
using Npgsql;
using NpgsqlTypes;

namespace Modelgate.Storage.Usage;

/// <summary>
/// The rollup tables (<c>usage_hourly</c>, <c>usage_daily</c>) in plain ADO.NET, inside the caller's transaction.
/// Histograms merge in C# (<see cref="LatencyHistogram"/>), never in SQL arithmetic: on PostgreSQL adding is a
/// read-modify-write under the rows' locks, three statements per grain whatever the batch's size — create the missing
/// rows, lock and read them all (in key order, so concurrent writers cannot deadlock), write them back from arrays;
/// on SQLite, whose writer holds the database's write lock for the whole transaction, one prepared upsert per row
/// that adds the counters and merges the histograms with a C# function registered on the connection.
/// </summary>
internal static class UsageRollups
{
    private const string Columns = "requests, errors, streamed, estimated, unpriced, input_tokens, output_tokens, cached_tokens, cost_picos, latency_ms_sum, latency_hist, ttft_hist";

    /// <summary>Adds the sums to the grain's rows (creating those missing).</summary>
    public static void Add(DbConnection connection, DbTransaction transaction, RollupGrain grain, Dictionary<RollupKey, UsageTotals> sums, int timeoutSeconds)
    {
        if (sums.Count == 0)
        {
            return;
        }

        if (connection is NpgsqlConnection postgres)
        {
            AddPostgres(postgres, (NpgsqlTransaction)transaction, grain, sums, timeoutSeconds);
        }
        else
        {
            AddSqlite((SqliteConnection)connection, (SqliteTransaction)transaction, grain, sums, timeoutSeconds);
        }
    }

    // One upsert per row: SQLite adds the counters, and merges the histograms with hist_merge, a function of this
    // connection (LatencyHistogram's own merge).
    private static void AddSqlite(SqliteConnection connection, SqliteTransaction transaction, RollupGrain grain, Dictionary<RollupKey, UsageTotals> sums, int timeoutSeconds)
    {
        connection.CreateFunction<byte[], byte[], byte[]>("hist_merge", LatencyHistogram.MergeEncoded, isDeterministic: true);
        using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandTimeout = timeoutSeconds;
        var names = Enumerable.Range(0, 16).Select(i => "$p" + i).ToArray();
        write.CommandText = $"INSERT INTO {grain.Table} (level, {grain.Column}, series_id, status, {Columns}) VALUES ({string.Join(", ", names)}) "
            + $"ON CONFLICT (level, {grain.Column}, series_id, status) DO UPDATE SET "
            + "requests = requests + excluded.requests, errors = errors + excluded.errors, streamed = streamed + excluded.streamed, "
            + "estimated = estimated + excluded.estimated, unpriced = unpriced + excluded.unpriced, input_tokens = input_tokens + excluded.input_tokens, "
            + "output_tokens = output_tokens + excluded.output_tokens, cached_tokens = cached_tokens + excluded.cached_tokens, "
            + "cost_picos = CASE WHEN cost_picos > 9223372036854775807 - excluded.cost_picos THEN 9223372036854775807 ELSE cost_picos + excluded.cost_picos END, "
            + "latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum, "
            // An empty blob comes back from a function as NULL.
            + "latency_hist = coalesce(hist_merge(latency_hist, excluded.latency_hist), x''), ttft_hist = coalesce(hist_merge(ttft_hist, excluded.ttft_hist), x'')";
        var values = names.Select(name => write.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        write.Prepare();
        foreach (var (k, totals) in sums)
        {
            var row = Values(k, totals);
            for (var i = 0; i < row.Length; i++)
            {
                values[i].Value = row[i];
            }

            write.ExecuteNonQuery();
        }
    }

    private static void AddPostgres(NpgsqlConnection connection, NpgsqlTransaction transaction, RollupGrain grain, Dictionary<RollupKey, UsageTotals> sums, int timeoutSeconds)
    {
        var keys = sums.Keys.Order().ToArray();
        var (levels, units, series, statuses) = (keys.Select(k => k.Level).ToArray(), keys.Select(k => k.Unit).ToArray(), keys.Select(k => k.SeriesId).ToArray(),
            keys.Select(k => k.Status).ToArray());
        using (var batch = new NpgsqlBatch(connection, transaction) { Timeout = timeoutSeconds })
        {
            // The rows not there yet, created empty (and so locked by this transaction) in key order; then every row of
            // the batch locked and read, in key order too.
            var create = new NpgsqlBatchCommand(
                $"INSERT INTO {grain.Table} (level, {grain.Column}, series_id, status, {Columns}) SELECT k.l, k.u, k.s, k.st, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ''::bytea, ''::bytea "
                + "FROM unnest($1, $2, $3, $4) AS k(l, u, s, st) ORDER BY 1, 2, 3, 4 ON CONFLICT DO NOTHING");
            var lockAndRead = new NpgsqlBatchCommand(
                $"SELECT r.level, r.{grain.Column}, r.series_id, r.status, {string.Join(", ", Columns.Split(", ").Select(c => "r." + c))} FROM {grain.Table} r "
                + $"JOIN unnest($1, $2, $3, $4) AS k(l, u, s, st) ON r.level = k.l AND r.{grain.Column} = k.u AND r.series_id = k.s AND r.status = k.st "
                + "ORDER BY 1, 2, 3, 4 FOR UPDATE OF r");
            foreach (var command in new[] { create, lockAndRead })
            {
                command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = levels });
                command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = units });
                command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = series });
                command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = statuses });
                batch.BatchCommands.Add(command);
            }

            using var reader = batch.ExecuteReader();
            do
            {
                while (reader.FieldCount > 0 && reader.Read())
                {
                    var row = Row(reader);
                    sums[row.Key].Add(row);
                }
            }
            while (reader.NextResult());
        }

        var rows = keys.Select(k => Values(k, sums[k])).ToArray();
        using var update = new NpgsqlCommand(
            $"UPDATE {grain.Table} r SET {string.Join(", ", Columns.Split(", ").Select((c, i) => $"{c} = u.c{i}"))} "
            + "FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
            + $"AS u(l, u, s, st, {string.Join(", ", Enumerable.Range(0, 12).Select(i => "c" + i))}) "
            + $"WHERE r.level = u.l AND r.{grain.Column} = u.u AND r.series_id = u.s AND r.status = u.st", connection, transaction) { CommandTimeout = timeoutSeconds };
        for (var column = 0; column < 16; column++)
        {
            update.Parameters.Add(column switch
            {
                < 4 => new NpgsqlParameter<int[]> { TypedValue = [.. rows.Select(r => (int)r[column])] },
                < 14 => new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => (long)r[column])] },
                _ => new NpgsqlParameter<byte[][]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = [.. rows.Select(r => (byte[])r[column])] },
            });
        }

        if (update.ExecuteNonQuery() != keys.Length)
        {
            // A row created above was gone before it was locked (retention deleted its hour meanwhile): the transaction fails
            // rather than lose the calls' share; the batch is spilled and written again.
            throw new InvalidOperationException($"{grain.Table}: fewer rows updated than locked");
        }
    }

    // A row's values in the order of the grain's key and Columns.
    private static object[] Values(RollupKey key, UsageTotals t) =>
    [
        key.Level, key.Unit, key.SeriesId, key.Status, t.Requests, t.Errors, t.Streamed, t.Estimated, t.Unpriced, t.InputTokens, t.OutputTokens, t.CachedInputTokens,
        t.StoredCost(), t.LatencyMsSum, t.Latency.Encode(), t.TimeToFirstToken.Encode(),
    ];

    private static RollupRow Row(DbDataReader reader) => new(
        new RollupKey(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6),
        reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13),
        reader.GetFieldValue<byte[]>(14), reader.GetFieldValue<byte[]>(15));

    /// <summary>
    /// Reads the grain's rows of one level and units [<paramref name="from"/>, <paramref name="to"/>) — of the given
    /// series only, when given — with a plain data reader in the context's connection and transaction.
    /// </summary>
    public static async Task ReadAsync(ModelgateDbContext db, RollupGrain grain, int level, long from, long to, IReadOnlyCollection<int>? seriesIds,
        Action<RollupRow> visit, CancellationToken cancellationToken)
    {
        await using var command = await UsageReads.CommandAsync(db, cancellationToken);
        command.CommandText = $"SELECT level, {grain.Column}, series_id, status, {Columns} FROM {grain.Table} WHERE level = @level AND {grain.Column} >= @from AND {grain.Column} < @to"
            + UsageReads.SeriesFilter(seriesIds);
        UsageReads.Parameter(command, "@level", level);
        UsageReads.Parameter(command, "@from", (int)Math.Clamp(from, int.MinValue, int.MaxValue));
        UsageReads.Parameter(command, "@to", (int)Math.Clamp(to, int.MinValue, int.MaxValue));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            visit(Row(reader));
        }
    }
}
