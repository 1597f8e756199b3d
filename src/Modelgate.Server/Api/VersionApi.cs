using System.Reflection;

namespace Modelgate.Server.Api;

/// <summary><c>/api/v1/version</c>: the server's build (version and commit), for <c>modelgate status</c> and support.</summary>
internal static class VersionApi
{
    private static readonly string Version =
        typeof(VersionApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static RouteGroupBuilder MapVersionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/version", () => TypedResults.Ok(new ServerVersion(Version, Environment.Version.ToString())))
            .WithTags("Instances").WithName("GetVersion").WithSummary("The server's version (with its commit) and .NET runtime.");
        return api;
    }

    /// <summary>The build this server runs.</summary>
    internal sealed record ServerVersion(string Version, string Runtime);
}
