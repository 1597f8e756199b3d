namespace Modelgate.Storage;

/// <summary>Which database engine holds the catalog.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>The database Modelgate uses: SQLite in the data folder unless <c>MODELGATE_DATABASE</c> says otherwise.</summary>
public sealed record DatabaseOptions(DatabaseKind Kind, string ConnectionString)
{
    public const string DatabaseFileName = "modelgate.db";

    /// <summary>
    /// Reads <c>MODELGATE_DATABASE</c>: a string containing <c>Host=</c> selects PostgreSQL, any other is a
    /// SQLite connection string; when unset, SQLite at <c>&lt;dataDir&gt;/modelgate.db</c>.
    /// </summary>
    public static DatabaseOptions From(string? connectionString, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return new DatabaseOptions(DatabaseKind.Sqlite, $"Data Source={Path.Combine(dataDir, DatabaseFileName)}");
        }

        var isPostgres = connectionString.Split(';').Any(part => part.Trim().StartsWith("Host=", StringComparison.OrdinalIgnoreCase));
        return new DatabaseOptions(isPostgres ? DatabaseKind.Postgres : DatabaseKind.Sqlite, connectionString);
    }

    /// <summary>
    /// What is wrong with the connection string by its driver's rules, or null: the drivers' messages name the keyword
    /// at fault (<c>Couldn't set port</c>, <c>Keyword not supported: 'bogus'</c>), never its value; a keyword written
    /// after the password is not named (it may be a piece of a password holding an unquoted <c>;</c>).
    /// </summary>
    public string? Problem()
    {
        try
        {
            _ = Kind == DatabaseKind.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString)
                : (System.Data.Common.DbConnectionStringBuilder)new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            // A password with an unquoted ';' splits into a "keyword" that is part of the password: a message naming
            // a keyword that follows the password is not shown.
            return AfterPassword(ConnectionString).Any(keyword => e.Message.Contains(keyword, StringComparison.OrdinalIgnoreCase))
                ? "a keyword after the password is not recognised or has a bad value (if the password contains ';', quote it: Password='...')."
                : e.Message;
        }
    }

    private static bool IsPasswordKeyword(string key) => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() is "password" or "pwd" or "psw" or "passfile";

    // The keywords written after the first password keyword, as the raw text splits them.
    private static IEnumerable<string> AfterPassword(string connectionString) =>
        connectionString.Split(';').Select(part => part.Split('=')[0].Trim()).SkipWhile(key => !IsPasswordKeyword(key)).Skip(1).Where(key => key.Length > 0);

    /// <summary>Hides the password so the options can be logged.</summary>
    public override string ToString()
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = ConnectionString;
        }
        catch (ArgumentException)
        {
            return $"{Kind} (unparseable connection string)";
        }

        foreach (var key in builder.Keys.Cast<string>().Where(IsPasswordKeyword).ToList())
        {
            builder.Remove(key);
        }

        return $"{Kind} ({builder.ConnectionString})";
    }
}
