using System.Diagnostics;
using System.Text.Json;
using Xunit.Sdk;

namespace Modelgate.Server.Tests.Clients;

/// <summary>
/// Runs one scenario script of <c>tests/clients</c> (a real npm client: the openai and @anthropic-ai/sdk SDKs, the
/// Vercel AI SDK, the OpenAI Agents SDK) under Node with the address, key and model in its environment, and returns the
/// JSON it prints. A script that fails to run (a non-zero exit, no JSON, too slow) fails the test with Node's stderr.
/// </summary>
internal static class NpmClient
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    /// <summary>The folder of the scripts and their package.json, found above the test binaries.</summary>
    public static string Folder { get; } = FindFolder();

    public static async Task<JsonElement> RunAsync(
        string script, string baseUrl, string apiKey, string model, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? timeout = null)
    {
        await Installed.Value;
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        // Nothing of the machine's own configuration may reach a real provider.
        foreach (var name in new[] { "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "HTTP_PROXY", "HTTPS_PROXY" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["MG_BASE_URL"] = baseUrl;
        start.Environment["MG_API_KEY"] = apiKey;
        start.Environment["MG_MODEL"] = model;
        start.Environment["OPENAI_AGENTS_DISABLE_TRACING"] = "1";
        start.Environment["NO_PROXY"] = "127.0.0.1";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var (exitCode, output, error) = await RunToEndAsync(start, timeout ?? TimeSpan.FromSeconds(60), $"node {script}");
        var json = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (exitCode != 0 || json is null)
        {
            throw new XunitException($"node {script} exited with {exitCode}:\n{error}\n{output}");
        }

        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>The script's result, failing the test with the client's error when the call failed.</summary>
    public static JsonElement Succeeded(this JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("error", out var error))
        {
            throw new XunitException($"The client's call failed: {error}");
        }

        return result;
    }

    /// <summary>A string array of the result, e.g. the event types a stream delivered.</summary>
    public static string[] Strings(this JsonElement result, string name) =>
        [.. result.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    // npm ci when the folder has no node_modules (a plain `dotnet test`; test.sh installs them first).
    private static async Task InstallAsync()
    {
        if (File.Exists(Path.Combine(Folder, "node_modules", ".package-lock.json")))
        {
            return;
        }

        var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var (exitCode, output, error) = await RunToEndAsync(start, TimeSpan.FromMinutes(5), "npm ci");
        if (exitCode != 0)
        {
            throw new XunitException($"npm ci in {Folder} exited with {exitCode}:\n{error}\n{output}");
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunToEndAsync(ProcessStartInfo start, TimeSpan timeout, string what)
    {
        using var process = Process.Start(start) ?? throw new XunitException($"{what} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new XunitException($"{what} still ran after {timeout.TotalSeconds} s:\n{await error}\n{await output}");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var folder = Path.Combine(directory.FullName, "tests", "clients");
            if (File.Exists(Path.Combine(folder, "package.json")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"No tests/clients/package.json above {AppContext.BaseDirectory}.");
    }
}
