using System.CommandLine;
using Modelgate.ConfigFile;
using Modelgate.ConfigFile.LiteLlm;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate import --from litellm config.yaml [--out modelgate.yaml]</c>: converts another gateway's configuration
/// into a Modelgate configuration file, written to stdout (or <c>--out</c>), with a note on stderr (<c>note: …</c>) for
/// each thing not converted or converted with a choice. Needs no server. Keys written in the source file are never
/// copied, not even masked: the output refers to environment variables instead.
/// </summary>
public static class ImportCommand
{
    /// <summary>The formats <c>--from</c> takes.</summary>
    public const string LiteLlm = "litellm";

    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var from = new Option<string>("--from") { Description = "The source's format: litellm (a LiteLLM proxy's config.yaml)", Required = true };
        var file = new Argument<string>("file") { Description = "The configuration file to convert" };
        var output = new Option<string?>("--out") { Description = "Write the Modelgate file here instead of to stdout" };
        var command = new Command("import",
            "Convert another gateway's configuration into a Modelgate configuration file; notes on stderr say what was not converted")
        {
            from, file, output,
        };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            var format = parsed.GetValue(from)!;
            if (format != LiteLlm)
            {
                throw new CliException($"modelgate cannot import from '{format}'; --from takes: {LiteLlm}");
            }

            var path = parsed.GetValue(file)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"Could not read {path}: {e.Message}");
            }

            var result = LiteLlmImport.Convert(text, path);
            if (result.Document is null)
            {
                foreach (var error in result.Errors)
                {
                    await cli.Error.WriteLineAsync(error.ToString());
                }

                return ExitCodes.Error;
            }

            var yaml = ConfigFileWriter.Write(result.Document);
            if (parsed.GetValue(output) is { } target)
            {
                try
                {
                    await File.WriteAllTextAsync(target, yaml, ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"Could not write {target}: {e.Message}");
                }
            }
            else
            {
                await cli.Out.WriteAsync(yaml);
            }

            foreach (var note in result.Notes)
            {
                await cli.Error.WriteLineAsync($"note: {note}");
            }

            await cli.Error.WriteLineAsync(
                $"Converted {result.Document.Providers.Count} provider(s), {result.Document.Models.Count} model(s) "
                + $"and {result.Document.Aliases.Count} alias(es)"
                + $"{(parsed.GetValue(output) is { } written ? $" into {written}" : "")}, with {result.Notes.Count} note(s).");
            return ExitCodes.Success;
        }));
        return command;
    }
}
