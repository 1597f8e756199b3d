// dotnet run -c Release --project bench/Modelgate.Benchmarks -- --filter '*'
using BenchmarkDotNet.Running;

// bench/usage/run.sh runs: dotnet run -c Release --project bench/Modelgate.Benchmarks -- usage-writer sqlite|postgres <connection> [records]
if (args is ["usage-writer", ..])
{
    return await Modelgate.Benchmarks.UsageWriterBench.RunAsync(args);
}

// bench/console/run.sh runs: ... -- console-seed <sqlite connection> <models file> <records> <days>
if (args is ["console-seed", ..])
{
    return await Modelgate.Benchmarks.ConsoleSeed.RunAsync(args);
}

// bench/usage/run-views.sh runs: ... -- usage-seed sqlite|postgres <connection> <records> <days>
if (args is ["usage-seed", ..])
{
    return await Modelgate.Benchmarks.UsageSeed.RunAsync(args);
}

// ... -- limit-step redis|in-process [redis configuration] [rate] [seconds]: the limits step alone, paced (docs/benchmarks.md)
if (args is ["limit-step", ..])
{
    return await Modelgate.Benchmarks.LimitStepBench.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
