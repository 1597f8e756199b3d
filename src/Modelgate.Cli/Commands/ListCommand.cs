using System.CommandLine;
using System.Text.Json;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate list providers|models|defaults|aliases|fallbacks|keys|experiments</c>.</summary>
public static class ListCommand
{
    /// <summary>The command and its subcommands.</summary>
    public static Command Create(CliRuntime cli)
    {
        var list = new Command("list", "List catalog objects");
        foreach (var resource in Resources.All)
        {
            var command = new Command(resource.Plural, $"List {resource.Plural}");
            command.SetAction((parsed, ct) => cli.RunAsync(async () =>
            {
                using var admin = cli.Connect(parsed);
                var items = await admin.ListAsync(resource.Path, ct);
                var data = JsonSerializer.SerializeToElement(items);
                await cli.Output(parsed).WriteRowsAsync(data, items, resource.Columns);
                return ExitCodes.Success;
            }));
            list.Subcommands.Add(command);
        }

        list.Subcommands.Add(DefaultsListing.Create(cli));
        list.Subcommands.Add(FallbacksListing.Create(cli));
        return list;
    }
}
