using System.CommandLine;
using System.Text.Json;
using Modelgate.Cli.Connection;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary>
/// <c>modelgate context set|use|list</c>: named servers in <c>~/.config/modelgate/config.yaml</c>.
/// Tokens are written to the file (readable by its owner only) and never printed.
/// </summary>
public static class ContextCommand
{
    /// <summary>The command and its subcommands.</summary>
    public static Command Create(CliRuntime cli)
    {
        var context = new Command("context", "Named servers in ~/.config/modelgate/config.yaml");
        context.Subcommands.Add(Set(cli));
        context.Subcommands.Add(Use(cli));
        context.Subcommands.Add(List(cli));
        return context;
    }

    private static Command Set(CliRuntime cli)
    {
        var name = new Argument<string>("name") { Description = "The context's name" };
        var command = new Command("set", "Add or change a context (--url, --token); the first one added becomes current") { name };
        command.SetAction(parsed => cli.Run(() =>
        {
            var file = new CliConfigFile(cli.Environment.ConfigPath);
            var config = file.Load();
            var contextName = parsed.GetValue(name)!;
            var entry = config.Contexts.GetValueOrDefault(contextName) ?? new CliContextEntry();
            entry.Url = parsed.GetValue(cli.Options.Url) ?? entry.Url;
            entry.Token = parsed.GetValue(cli.Options.Token) ?? entry.Token;
            if (entry.Url is null)
            {
                throw new CliException($"Context '{contextName}' needs an address: pass --url.");
            }

            config.Contexts[contextName] = entry;
            config.CurrentContext ??= contextName;
            file.Save(config);
            cli.Out.WriteLine($"Context '{contextName}' saved in {file.Path}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Use(CliRuntime cli)
    {
        var name = new Argument<string>("name") { Description = "The context to use from now on" };
        var command = new Command("use", "Make a context the current one") { name };
        command.SetAction(parsed => cli.Run(() =>
        {
            var file = new CliConfigFile(cli.Environment.ConfigPath);
            var config = file.Load();
            var contextName = parsed.GetValue(name)!;
            if (!config.Contexts.ContainsKey(contextName))
            {
                throw new CliException($"No context '{contextName}' in {file.Path}: add it with 'modelgate context set'.");
            }

            config.CurrentContext = contextName;
            file.Save(config);
            cli.Out.WriteLine($"Now using context '{contextName}'.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List(CliRuntime cli)
    {
        var command = new Command("list", "The contexts (without their tokens)");
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            var config = new CliConfigFile(cli.Environment.ConfigPath).Load();
            var rows = config.Contexts.Select(c => new Dictionary<string, object?>
            {
                ["name"] = c.Key, ["url"] = c.Value.Url, ["has_token"] = c.Value.Token is not null, ["current"] = c.Key == config.CurrentContext,
            }).ToList();
            var data = JsonSerializer.SerializeToElement(rows);
            await cli.Output(parsed).WriteRowsAsync(data, data.EnumerateArray(),
                [Column.Field("NAME", "name"), Column.Field("URL", "url"), Column.Field("TOKEN", "has_token"), Column.Field("CURRENT", "current")]);
            return ExitCodes.Success;
        }));
        return command;
    }
}
