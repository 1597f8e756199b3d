using System.CommandLine;
using Modelgate.Cli.Connection;
using Modelgate.Cli.Http;
using Modelgate.Cli.Output;

namespace Modelgate.Cli;

/// <summary>What a command needs to run: the writers, the environment, the global options.</summary>
public sealed class CliRuntime(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
{
    /// <summary>Where results go.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Where errors go.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>Environment variables and the config file's place.</summary>
    public CliEnvironment Environment { get; } = environment;

    /// <summary>The options every command takes.</summary>
    public GlobalOptions Options { get; } = new();

    /// <summary>This command line's server and token (flags, environment, context), or a <see cref="CliException"/> saying what is missing.</summary>
    public ConnectionSettings Connection(ParseResult parsed) =>
        new ConnectionResolver(Environment).Resolve(parsed.GetValue(Options.Url), parsed.GetValue(Options.Token), parsed.GetValue(Options.Context));

    /// <summary>A client of the admin API for this command line's connection settings.</summary>
    public AdminClient Connect(ParseResult parsed) => new(Connection(parsed));

    /// <summary>The writer for this command line's <c>--output</c>.</summary>
    public OutputWriter Output(ParseResult parsed) => new(Out, parsed.GetValue(Options.Output));

    /// <summary>Wraps synchronous work as <see cref="RunAsync"/> does.</summary>
    public int Run(Func<int> work)
    {
        try
        {
            return work();
        }
        catch (CliException e)
        {
            Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Error;
        }
    }

    /// <summary>
    /// Wraps a command's work: a <see cref="CliException"/> becomes its message on stderr and exit code 2.
    /// </summary>
    public async Task<int> RunAsync(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (CliException e)
        {
            await Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Error;
        }
    }
}
