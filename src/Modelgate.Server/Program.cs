using Modelgate.Server.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddModelgateServer();

    var app = builder.Build();
    app.MapModelgate();
    app.Run();
    return 0;
}
// Only as the process of its own: a test host running this entry point in-process must see the exception itself.
catch (StartupException e) when (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // One line that says what to fix, and an exit code a supervisor can tell from a crash (docs/configuration.md).
    Console.Error.WriteLine($"Modelgate did not start: {e.Message}");
    return e.ExitCode;
}

/// <summary>The server's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
