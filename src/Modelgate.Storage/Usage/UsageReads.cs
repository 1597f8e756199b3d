using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Modelgate.Storage.Usage;

/// <summary>
/// What reading usage rows with a plain data reader needs, wherever it reads them (raw rows, rollups): a command in
/// the context's connection and transaction, its parameters, and a series filter.
/// </summary>
internal static class UsageReads
{
    /// <summary>A command on the context's connection (opened if need be), in its current transaction.</summary>
    public static async Task<DbCommand> CommandAsync(ModelgateDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary><c> AND series_id IN (…)</c>, or nothing when every series is read. Ids are integers from this database, written as such.</summary>
    public static string SeriesFilter(IReadOnlyCollection<int>? seriesIds) =>
        seriesIds is null ? "" : $" AND series_id IN ({string.Join(',', seriesIds.Select(id => id.ToString(CultureInfo.InvariantCulture)))})";

    public static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
