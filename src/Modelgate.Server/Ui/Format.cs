using System.Globalization;

namespace Modelgate.Server.Ui;

/// <summary>How the console writes numbers, money, durations and times (invariant culture, UTC).</summary>
internal static class Format
{
    public static string Usd(decimal amount) => amount switch
    {
        0m => "$0",
        > 0m and < 0.000001m => "< $0.000001",
        < 0.01m => "$" + amount.ToString("0.######", CultureInfo.InvariantCulture),
        _ => amount.ToString("$#,0.00##", CultureInfo.InvariantCulture),
    };

    public static string Price(decimal? perMillion) => perMillion is { } p ? "$" + p.ToString("0.######", CultureInfo.InvariantCulture) : "—";

    public static string Ms(double? milliseconds) => milliseconds switch
    {
        null => "—",
        >= 10_000 => (milliseconds.Value / 1000).ToString("0.0 's'", CultureInfo.InvariantCulture),
        _ => milliseconds.Value.ToString("#,0 'ms'", CultureInfo.InvariantCulture),
    };

    public static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string When(DateTime at) => When(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)));
}
