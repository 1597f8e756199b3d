using System.CommandLine;
using Modelgate.Cli.Commands;

namespace Modelgate.Cli;

/// <summary>Puts the tool's commands together under one root.</summary>
public static class RootCommandFactory
{
    /// <summary>The root command with every subcommand and the global options.</summary>
    public static RootCommand Create(CliRuntime cli)
    {
        var root = new RootCommand("modelgate: read and change a Modelgate server's configuration through its admin API");
        cli.Options.AddTo(root);
        root.Subcommands.Add(StatusCommand.Create(cli));
        root.Subcommands.Add(ListCommand.Create(cli));
        root.Subcommands.Add(GetCommand.Create(cli));
        root.Subcommands.Add(SetDefaultCommand.Create(cli));
        root.Subcommands.Add(KeysCommand.Create(cli));
        root.Subcommands.Add(HistoryCommand.Create(cli));
        root.Subcommands.Add(RollbackCommand.Create(cli));
        root.Subcommands.Add(UsageCommand.Create(cli));
        root.Subcommands.Add(ExportCommand.Create(cli));
        root.Subcommands.Add(ValidateCommand.Create(cli));
        root.Subcommands.Add(DiffCommand.Create(cli));
        root.Subcommands.Add(ApplyCommand.Create(cli));
        root.Subcommands.Add(DriftCommand.Create(cli));
        root.Subcommands.Add(ContextCommand.Create(cli));
        root.Subcommands.Add(ImportCommand.Create(cli));
        return root;
    }
}
