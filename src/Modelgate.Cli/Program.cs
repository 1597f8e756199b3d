namespace Modelgate.Cli;

/// <summary>The <c>modelgate</c> tool's entry point.</summary>
public static class Program
{
    /// <summary>Runs the tool as a process: the real console and the process's environment.</summary>
    public static Task<int> Main(string[] args) =>
        RunAsync(args, Console.Out, Console.Error, CliEnvironment.FromProcess());

    /// <summary>
    /// Runs one command line and returns its exit code: 0 success, 1 a difference found, 2 an error.
    /// Tests call this in process, with their own writers and environment.
    /// </summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var cli = new CliRuntime(stdout, stderr, environment);
        var root = RootCommandFactory.Create(cli);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync(error.Message);
            }

            return ExitCodes.Error;
        }

        return await parsed.InvokeAsync(new() { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken);
    }
}
