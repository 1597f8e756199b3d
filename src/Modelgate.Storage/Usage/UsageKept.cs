using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Modelgate.Storage.Usage;

/// <summary>
/// From which UTC day raw usage rows and hourly rollups are complete (settings <c>usage.raw_since_day</c> and
/// <c>usage.hours_since_day</c>; 0, the epoch, until retention first removes anything). Retention advances a mark
/// before it deletes, so a query never reads a unit that is being emptied. Daily rollups need no mark: they are kept
/// longest, and ranges are limited to what they hold. <see cref="RollupsBuilt"/>: the one-time build of an upgraded
/// database's rollups (<see cref="UsageRollupBuild"/>) is done, so every raw row is in its hour's rollup.
/// </summary>
internal sealed record UsageKept(int RawSinceDay, int HoursSinceDay, bool RollupsBuilt)
{
    public const string RawSetting = "usage.raw_since_day";
    public const string HoursSetting = "usage.hours_since_day";

    public long RawSinceMs => RawSinceDay * 86_400_000L;
    public long HoursSinceMs => HoursSinceDay * 86_400_000L;

    public static async Task<UsageKept> ReadAsync(ModelgateDbContext db, CancellationToken cancellationToken)
    {
        var values = await db.Settings.AsNoTracking().Where(s => s.Key == RawSetting || s.Key == HoursSetting || s.Key == UsageRollupBuild.DoneSetting)
            .ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        return new UsageKept(Day(values, RawSetting), Day(values, HoursSetting), values.ContainsKey(UsageRollupBuild.DoneSetting));
    }

    /// <summary>A day-numbered mark's value, or null when it was never set.</summary>
    public static async Task<int?> MarkAsync(ModelgateDbContext db, string setting, CancellationToken cancellationToken) =>
        await db.Settings.AsNoTracking().Where(s => s.Key == setting).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken) is { } text
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var day) ? day : null;

    /// <summary>
    /// Moves a mark forward (never back) in the context's transaction; one statement, so instances moving the same
    /// mark at once never collide.
    /// </summary>
    public static Task AdvanceAsync(ModelgateDbContext db, string setting, int day, DateTime now, CancellationToken cancellationToken)
    {
        var text = day.ToString(CultureInfo.InvariantCulture);
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO settings (key, value, updated_at) VALUES ({setting}, {text}, {now}) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE CAST(settings.value AS integer) < CAST(excluded.value AS integer)",
            cancellationToken);
    }

    private static int Day(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var day) ? day : 0;
}
