namespace Modelgate.Storage.Tests;

public sealed class DatabaseOptionsTests
{
    [Fact]
    public void From_Unset_IsSqliteInTheDataFolder()
    {
        var options = DatabaseOptions.From(null, "/var/lib/modelgate");

        Assert.Equal(DatabaseKind.Sqlite, options.Kind);
        Assert.Equal("Data Source=/var/lib/modelgate/modelgate.db", options.ConnectionString);
    }

    [Theory]
    [InlineData("Host=db;Database=modelgate;Username=mg;Password=s3cret")]
    [InlineData("Username=mg; host=db")]
    public void From_HostConnectionString_IsPostgres(string connectionString) =>
        Assert.Equal(DatabaseKind.Postgres, DatabaseOptions.From(connectionString, "/data").Kind);

    [Fact]
    public void From_OtherConnectionString_IsSqlite() =>
        Assert.Equal(DatabaseKind.Sqlite, DatabaseOptions.From("Data Source=/tmp/x.db", "/data").Kind);

    [Theory]
    [InlineData("Host=db;Password=s3cret;Database=x")]
    [InlineData("Host=db;Pwd=s3cret")]
    [InlineData("Host=db;PSW=s3cret")]
    [InlineData("host=db; password = s3cret ;")]
    public void ToString_HidesThePasswordInAnySpelling(string connectionString)
    {
        var text = DatabaseOptions.From(connectionString, "/data").ToString();

        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Contains("db", text, StringComparison.Ordinal);
    }
}
