using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Modelgate.Storage.Responses;

/// <summary>Deletes expired Responses API items (<see cref="ResponseStore.PruneAsync"/>) at start and every hour after.</summary>
public sealed partial class ResponseStoreMaintenance(ResponseStore store, TimeProvider time, ILogger<ResponseStoreMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pruned = await store.PruneAsync(stoppingToken);
                if (pruned > 0)
                {
                    LogPruned(logger, pruned);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.GetType().Name);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired Responses API items.")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired Responses API items failed ({Error}); trying again in an hour.")]
    private static partial void LogFailed(ILogger logger, string error);
}
