using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Modelgate.Server.Auth;
using Modelgate.Storage;

namespace Modelgate.Testing.Server;

/// <summary>
/// One Modelgate server in memory on a given database and data folder, configured the way an operator would
/// (the MODELGATE_* settings), with every log record and the console captured for inspection.
/// </summary>
public sealed class ModelgateApp(DatabaseOptions database, string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string AdminToken = "mg-test-admin-token-0123456789";

    public StringWriter Console { get; } = new();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public Core.Resolution.ModelResolver Resolver => Services.GetRequiredService<Core.Resolution.ModelResolver>();

    /// <summary>A client that authenticates as the administrator.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>Everything the server wrote: log messages, their exceptions, and the console.</summary>
    public string AllOutput() =>
        string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Category} {r.Level} {r.Message} {r.Exception}")) + "\n" + Console;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("MODELGATE_DATA_DIR", dataDirectory);
        builder.UseSetting("MODELGATE_DATABASE", database.ConnectionString);
        builder.UseSetting("MODELGATE_ADMIN_TOKEN", AdminToken);
        // The machine's own provider keys must not leak into tests of the environment fallback.
        builder.UseSetting("ANTHROPIC_API_KEY", "");
        builder.UseSetting("OPENAI_API_KEY", "");
        // Capture everything, down to EF Core's SQL and ASP.NET's request traces, so leak checks see all of it.
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        builder.ConfigureServices(services => services.AddSingleton(new AdminConsole(Console)));
    }
}
