using System.CommandLine;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate export [--out modelgate.yaml]</c>: the server's catalog as a configuration file, keys as references
/// (<c>env:OPENAI_API_KEY</c>), never values or masks. YAML unless <c>--output json</c>.
/// </summary>
public static class ExportCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var file = new Option<string?>("--out") { Description = "Write the file here instead of to standard output" };
        var command = new Command("export", "Write the server's configuration as a file (keys as env: references)") { file };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            var json = parsed.GetValue(cli.Options.Output) == OutputFormat.Json;
            var text = await admin.GetTextAsync(json ? "config/export?format=json" : "config/export", ct);
            if (parsed.GetValue(file) is { } path)
            {
                await File.WriteAllTextAsync(path, text, ct);
                await cli.Error.WriteLineAsync($"Wrote {path}.");
            }
            else
            {
                await cli.Out.WriteAsync(text);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
