using Modelgate.Core.Secrets;
using Modelgate.Storage;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Everything the server reads from configuration (environment variables or command line), in one place.
/// See docs/configuration.md for the reference.
/// </summary>
public sealed record ModelgateSettings(
    string DataDirectory,
    DatabaseOptions Database,
    string? AdminToken,
    MasterKeyOptions MasterKey,
    bool AllowPrivateBaseUrls)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static ModelgateSettings From(IConfiguration configuration)
    {
        var dataDir = Path.GetFullPath(configuration["MODELGATE_DATA_DIR"] is { Length: > 0 } dir ? dir : "data");
        var allowPrivate = configuration["MODELGATE_ALLOW_PRIVATE_BASE_URLS"] is not { Length: > 0 } flag
            || (bool.TryParse(flag, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"MODELGATE_ALLOW_PRIVATE_BASE_URLS must be true or false, not '{flag}'."));
        return new ModelgateSettings(
            dataDir,
            DatabaseOptions.From(configuration["MODELGATE_DATABASE"], dataDir),
            configuration["MODELGATE_ADMIN_TOKEN"] is { Length: > 0 } token ? token : null,
            new MasterKeyOptions
            {
                EnvironmentKey = configuration["MODELGATE_MASTER_KEY"],
                PreviousKeys = configuration["MODELGATE_PREVIOUS_MASTER_KEYS"],
                KeyFilePath = Path.Combine(dataDir, "master.key"),
            },
            allowPrivate);
    }

    /// <summary>Hides the admin token and master key so the settings can be logged.</summary>
    public override string ToString() => $"data={DataDirectory}, database={Database}, admin_token={(AdminToken is null ? "generated" : "from environment")}";
}
