using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Modelgate.Core.Usage;

namespace Modelgate.Ui.Tests.Support;

/// <summary>Records calls in the past through the server's own usage writer, then waits until they are stored.</summary>
internal static class UsageSeed
{
    public sealed record Call(Guid ModelId, string ModelName, Guid ProviderId, int DaysAgo, decimal Cost, int LatencyMs, int Status = 200);

    public static async Task RecordAsync(ConsoleFixture fixture, IReadOnlyList<Call> calls)
    {
        var recorder = fixture.App.Services.GetRequiredService<IUsageRecorder>();
        var now = DateTimeOffset.UtcNow;
        var before = await StoredAsync(fixture, now);
        foreach (var call in calls)
        {
            recorder.Record(new UsageRecord
            {
                RequestId = Guid.CreateVersion7(),
                At = now.AddDays(-call.DaysAgo).AddMinutes(-30),
                Operation = UsageOperations.Chat,
                Purpose = "chat",
                ProviderId = call.ProviderId,
                ProviderName = "seeded",
                ModelId = call.ModelId,
                ModelName = call.ModelName,
                Tokens = new TokenCounts(1000, 200),
                Cost = call.Cost,
                LatencyMs = call.LatencyMs,
                Status = call.Status,
                ErrorClass = call.Status == 200 ? null : "upstream_error",
            });
        }

        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await StoredAsync(fixture, now) >= before + calls.Count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The usage writer did not store {calls.Count} seeded calls within 10 seconds.");
    }

    private static async Task<long> StoredAsync(ConsoleFixture fixture, DateTimeOffset now)
    {
        var from = Uri.EscapeDataString(now.AddDays(-30).ToString("O"));
        var report = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/usage?from={from}");
        return report.GetProperty("totals").GetProperty("requests").GetInt64();
    }
}
