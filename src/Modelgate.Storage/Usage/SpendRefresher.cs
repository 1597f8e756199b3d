using Microsoft.Extensions.Hosting;
using Modelgate.Core.Resolution;

namespace Modelgate.Storage.Usage;

/// <summary>Re-reads budget spend every few seconds for the keys that have a budget in the current catalog.</summary>
public sealed class SpendRefresher(SpendLedger ledger, CurrentCatalog catalog, UsageOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var budgeted = catalog.State.Snapshot.VirtualKeys.Values.Where(k => k.Budget is not null).ToList();
                await ledger.RefreshAsync(budgeted, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is unreachable: this instance's own spend still counts; the next refresh catches up.
            }

            try
            {
                await Task.Delay(options.SpendRefreshInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
