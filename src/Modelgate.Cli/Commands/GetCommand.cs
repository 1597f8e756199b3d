using System.CommandLine;
using System.Text.Json;
using Modelgate.Cli.Http;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate get provider|model|alias|key|experiment &lt;id-or-name&gt;</c>.</summary>
public static class GetCommand
{
    /// <summary>The command and its subcommands.</summary>
    public static Command Create(CliRuntime cli)
    {
        var get = new Command("get", "Show one catalog object");
        foreach (var resource in Resources.All)
        {
            var idOrName = new Argument<string>("id-or-name") { Description = $"The {resource.Singular}'s id or name" };
            var command = new Command(resource.Singular, $"Show one {resource.Singular}") { idOrName };
            command.SetAction((parsed, ct) => cli.RunAsync(async () =>
            {
                using var admin = cli.Connect(parsed);
                var item = await FindAsync(admin, resource, parsed.GetValue(idOrName)!, ct);
                await cli.Output(parsed).WriteAsync(item, () => Tables.Of(["FIELD", "VALUE"], Fields(item)));
                return ExitCodes.Success;
            }));
            get.Subcommands.Add(command);
        }

        return get;
    }

    /// <summary>Reads one item by id, or by name where the API reads by id only.</summary>
    public static async Task<JsonElement> FindAsync(AdminClient admin, Resource resource, string idOrName, CancellationToken ct)
    {
        if (!resource.ByIdOnly || Guid.TryParse(idOrName, out _))
        {
            return await admin.GetAsync($"{resource.Path}/{Uri.EscapeDataString(idOrName)}", ct);
        }

        var matches = (await admin.ListAsync(resource.Path, ct)).Where(i => JsonText.At(i, "name") == idOrName).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException($"No {resource.Singular} has the id or name '{idOrName}'."),
            _ => throw new CliException($"{matches.Count} {resource.Plural} are named '{idOrName}': give the id."),
        };
    }

    private static IEnumerable<IReadOnlyList<string>> Fields(JsonElement item) =>
        item.EnumerateObject().Select(p => (IReadOnlyList<string>)[p.Name, JsonText.Of(p.Value)]);
}
