using Modelgate.ConfigFile;
using Modelgate.Storage.Catalog;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Applies <c>MODELGATE_CONFIG_FILE</c> (a file or a folder, mounted in a container, say) as the server starts, before
/// it serves: its key references resolved from this process's environment or files, through the same apply as
/// <c>modelgate apply</c> (one version, one audit entry, actor <c>config-file</c>), deleting only with
/// <c>MODELGATE_CONFIG_FILE_PRUNE=true</c>. The same file again changes nothing, so every instance of a fleet may apply
/// it. A file that cannot be read or applied stops the start with errors naming file, line and field. <c>env:</c>
/// references are read from the process's environment, never one of Modelgate's own settings; <c>file:</c> ones may not
/// read the data folder (where the master key lives).
/// </summary>
internal sealed partial class ConfigFileAtStart(ModelgateSettings settings, ConfigFileStore files, ILogger<ConfigFileAtStart> logger)
{
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        if (settings.ConfigFile is not { } path)
        {
            return;
        }

        var (source, errors) = ConfigFileReader.Load(path);
        if (source is null)
        {
            throw Refused(path, errors.Select(e => e.ToString()));
        }

        // The process's environment only (not appsettings or the command line), never MODELGATE_* settings, and no file of the data folder.
        var (keys, keyErrors) = ConfigKeyReferences.Resolve(source.Document, Environment.GetEnvironmentVariable, source.Folder, settings.DataDirectory);
        if (keyErrors.Count > 0)
        {
            throw Refused(path, keyErrors.Select(e => source.Locate(e.Path, e.Message).ToString()));
        }

        var result = await files.ApplyAsync(source.Document, keys, settings.ConfigFilePrune, source.DisplayName, source.Sha256,
            basedOnVersion: null, actor: "config-file", cancellationToken);
        if (result.Value is not { } applied)
        {
            var error = result.Error!;
            throw Refused(path, error.Errors is { } byPath ? byPath.SelectMany(f => f.Value.Select(m => source.Locate(f.Key, m).ToString())) : [error.Detail]);
        }

        if (applied.Version is { } version)
        {
            LogApplied(logger, path, source.Sha256, applied.Plan.Changes.Count, version);
        }
        else
        {
            LogUnchanged(logger, path, source.Sha256);
        }
    }

    private static StartupException Refused(string path, IEnumerable<string> errors) =>
        new($"MODELGATE_CONFIG_FILE {path} cannot be applied:{string.Concat(errors.Select(e => $"\n  {e}"))}", StartupException.BadConfiguration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied the configuration file {Path} (sha256 {Sha256}): {Changes} change(s), catalog version {Version}")]
    private static partial void LogApplied(ILogger logger, string path, string sha256, int changes, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "The configuration file {Path} (sha256 {Sha256}) already matches the catalog: nothing applied")]
    private static partial void LogUnchanged(ILogger logger, string path, string sha256);
}
