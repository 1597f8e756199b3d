using Modelgate.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddModelgateServer();

var app = builder.Build();
app.MapModelgate();
app.Run();

/// <summary>The server's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
