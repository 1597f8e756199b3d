using Microsoft.Data.Sqlite;
using Modelgate.Testing;

namespace Modelgate.Server.Tests.Support;

/// <summary>Reads what a test's SQLite database holds, bypassing the server: the first column of every row, as text.</summary>
public static class SqliteRows
{
    public static async Task<List<string?>> ReadAsync(TestDatabase db, string sql)
    {
        await using var connection = new SqliteConnection(db.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return rows;
    }
}
