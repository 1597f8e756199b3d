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

    [Theory]
    [InlineData("Host=db;Port=notaport;Password=s3cret", "port")]
    [InlineData("Host=db;Bogus=1;Password=s3cret", "bogus")]
    [InlineData("Data Source=/tmp/x.db;Bogus=s3cret", "bogus")]
    public void Problem_MalformedConnectionString_NamesTheKeywordNeverAValue(string connectionString, string keyword)
    {
        var problem = DatabaseOptions.From(connectionString, "/data").Problem();

        Assert.NotNull(problem);
        Assert.Contains(keyword, problem, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("notaport", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Password=s3c;ret=1", "ret")]
    [InlineData("Host=db;Username=mg;Password=hunter;2bad=x;Timeout=3", "2bad")]
    [InlineData("Data Source=/tmp/x.db;Password=abc;Bogus=s3cret", "bogus")]
    public void Problem_KeywordAfterThePassword_IsNotNamed_ItMayBeAPieceOfThePassword(string connectionString, string fragment)
    {
        var problem = DatabaseOptions.From(connectionString, "/data").Problem();

        Assert.NotNull(problem);
        Assert.Contains("after the password", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(fragment, problem, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Host=db;Database=modelgate;Username=mg;Password=s3cret;Timeout=3")]
    [InlineData("Data Source=/tmp/x.db;Mode=ReadWrite")]
    public void Problem_ValidConnectionString_IsNull(string connectionString) =>
        Assert.Null(DatabaseOptions.From(connectionString, "/data").Problem());
}
