using System.CommandLine;
using Modelgate.Cli.Output;

namespace Modelgate.Cli.Commands;

/// <summary><c>modelgate set-default &lt;purpose&gt; &lt;model&gt;</c>: makes a model a purpose's default.</summary>
public static class SetDefaultCommand
{
    /// <summary>The command.</summary>
    public static Command Create(CliRuntime cli)
    {
        var purpose = new Argument<string>("purpose") { Description = "chat, agents, embeddings or agents/<type>" };
        var model = new Argument<string>("model") { Description = "The model's id or upstream name" };
        var command = new Command("set-default", "Make a model the default of a purpose") { purpose, model };
        command.SetAction((parsed, ct) => cli.RunAsync(async () =>
        {
            using var admin = cli.Connect(parsed);
            // The purpose's slash (agents/<type>) is part of the route, so only its segments are escaped.
            var route = string.Join('/', parsed.GetValue(purpose)!.Split('/').Select(Uri.EscapeDataString));
            var result = await admin.SendAsync(HttpMethod.Put, $"llm-defaults/{route}", new { model_id = parsed.GetValue(model) }, ct);
            await cli.Output(parsed).WriteAsync(result, () => Tables.Of(["PURPOSE", "MODEL", "PROVIDER", "ID"],
                [[parsed.GetValue(purpose)!, JsonText.At(result, "model_id"), JsonText.At(result, "provider_name"), JsonText.At(result, "id")]]));
            return ExitCodes.Success;
        }));
        return command;
    }
}
