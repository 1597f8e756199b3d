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
    bool AllowPrivateBaseUrls,
    string? ConfigFile = null,
    bool ConfigFilePrune = false)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The shortest admin token accepted: it opens the admin API and the console, so it must not be guessable.</summary>
    public const int MinAdminTokenLength = 20;

    public static ModelgateSettings From(IConfiguration configuration)
    {
        var dataDir = Path.GetFullPath(configuration["MODELGATE_DATA_DIR"] is { Length: > 0 } dir ? dir : "data");
        var allowPrivate = SettingValues.Flag(configuration, "MODELGATE_ALLOW_PRIVATE_BASE_URLS", fallback: true);
        var database = DatabaseOptions.From(configuration["MODELGATE_DATABASE"], dataDir);
        if (database.Problem() is { } problem)
        {
            throw new StartupException(
                $"MODELGATE_DATABASE is not a valid {database.Kind} connection string: {problem}", StartupException.BadConfiguration);
        }

        return new ModelgateSettings(
            dataDir,
            database,
            AdminTokenFrom(configuration["MODELGATE_ADMIN_TOKEN"]),
            new MasterKeyOptions
            {
                EnvironmentKey = configuration["MODELGATE_MASTER_KEY"],
                PreviousKeys = configuration["MODELGATE_PREVIOUS_MASTER_KEYS"],
                KeyFilePath = Path.Combine(dataDir, "master.key"),
            },
            allowPrivate,
            configuration["MODELGATE_CONFIG_FILE"] is { Length: > 0 } file ? file : null,
            SettingValues.Flag(configuration, "MODELGATE_CONFIG_FILE_PRUNE", fallback: false));
    }

    // Never echoes the token: the message says only how long it is.
    private static string? AdminTokenFrom(string? token) => token switch
    {
        null or "" => null,
        { Length: < MinAdminTokenLength } => throw new StartupException(
            $"MODELGATE_ADMIN_TOKEN is {token.Length} characters long; use at least {MinAdminTokenLength} random ones "
            + "(e.g. the output of 'openssl rand -base64 24'), or leave it unset to have one generated.",
            StartupException.BadConfiguration),
        _ => token,
    };

    /// <summary>Hides the admin token and master key so the settings can be logged.</summary>
    public override string ToString() => $"data={DataDirectory}, database={Database}, admin_token={(AdminToken is null ? "generated" : "from environment")}"
        + (ConfigFile is null ? "" : $", config_file={ConfigFile}{(ConfigFilePrune ? " (prune)" : "")}");
}
