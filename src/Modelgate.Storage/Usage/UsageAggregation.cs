using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Modelgate.Core.Usage;
using Modelgate.Storage.Entities;

namespace Modelgate.Storage.Usage;

/// <summary>What a sum needs of a raw usage row (read without the request id).</summary>
internal readonly record struct RawUsage(long AtMs, int SeriesId, long InputTokens, long OutputTokens, long CachedTokens, long? CostPicos, int LatencyMs, int? TtftMs, bool Failed, int Flags);

/// <summary>Folds stored usage — raw rows and daily rollups — into <see cref="UsageTotals"/>, the same way wherever it is summed.</summary>
internal static class UsageAggregation
{
    /// <summary>
    /// Reads the raw rows in [<paramref name="fromMs"/>, <paramref name="toMs"/>) — of the given series only, when
    /// given — with a plain data reader in the context's connection and transaction. Summing is per row, so this
    /// avoids EF Core's per-row materialization, which cost more than the summing itself.
    /// </summary>
    public static async Task ReadRawAsync(ModelgateDbContext db, long fromMs, long toMs, IReadOnlyCollection<int>? seriesIds, Action<RawUsage> visit, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        // Series ids are integers from this database, written into the text as such.
        var series = seriesIds is null ? "" : $" AND series_id IN ({string.Join(',', seriesIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        command.CommandText = "SELECT at_ms, series_id, input_tokens, output_tokens, cached_tokens, cost_picos, latency_ms, ttft_ms, "
            + "CASE WHEN status >= 400 OR error_class IS NOT NULL THEN 1 ELSE 0 END, flags FROM usage_records WHERE at_ms >= @from AND at_ms < @to" + series;
        Parameter(command, "@from", fromMs);
        Parameter(command, "@to", toMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            visit(new RawUsage(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.GetInt32(8) != 0, reader.GetInt32(9)));
        }
    }

    private static void Parameter(System.Data.Common.DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public static void Add(this UsageTotals totals, RawUsage r)
    {
        var flags = (UsageFlags)r.Flags;
        totals.Add(r.InputTokens, r.OutputTokens, r.CachedTokens, r.CostPicos, r.LatencyMs, r.TtftMs, r.Failed,
            flags.HasFlag(UsageFlags.Streamed), flags.HasFlag(UsageFlags.Estimated));
    }

    public static void Add(this UsageTotals totals, UsageRollupEntity r) =>
        totals.Merge(r.Requests, r.Errors, r.Streamed, r.Estimated, r.Unpriced, r.InputTokens, r.OutputTokens, r.CachedTokens, r.CostPicos, r.LatencyMsSum,
            LatencyHistogram.Parse(r.LatencyHistogram), LatencyHistogram.Parse(r.TtftHistogram));
}
