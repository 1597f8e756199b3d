using System.Globalization;

namespace Modelgate.Server.Hosting;

/// <summary>
/// Reads one setting of the environment or configuration: unset (or empty) means the default, and a value that is set
/// but not of the expected kind stops the start with a <see cref="StartupException"/> naming the setting, instead of
/// being silently replaced by the default (an operator who set it meant something).
/// </summary>
internal static class SettingValues
{
    /// <summary>A switch: <c>true</c> or <c>false</c>.</summary>
    public static bool Flag(IConfiguration configuration, string name, bool fallback) =>
        configuration[name] is not { Length: > 0 } text ? fallback
        : bool.TryParse(text, out var on) ? on
        : throw Invalid(name, text, "true or false");

    /// <summary>A positive whole number.</summary>
    public static long Number(IConfiguration configuration, string name, long fallback) =>
        configuration[name] is not { Length: > 0 } text ? fallback
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw Invalid(name, text, "a positive whole number");

    /// <summary>A positive whole number that fits an <see cref="int"/>.</summary>
    public static int Count(IConfiguration configuration, string name, int fallback) =>
        Number(configuration, name, fallback) is var value && value <= int.MaxValue ? (int)value
        : throw Invalid(name, configuration[name]!, $"a positive whole number up to {int.MaxValue}");

    /// <summary>A duration in seconds (fractions allowed) from 10 ms to a day; zero too where <paramref name="allowZero"/>.</summary>
    public static TimeSpan Seconds(IConfiguration configuration, string name, double fallback, bool allowZero = false) =>
        TimeSpan.FromSeconds(
            configuration[name] is not { Length: > 0 } text ? fallback
            // A day at most: beyond it a timer cannot be set (and no operator means it); 10 ms at least, Polly's floor.
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && ((seconds >= 0.01 && seconds <= 86_400) || (allowZero && seconds == 0)) ? seconds
            : throw Invalid(name, text, allowZero ? "0, or a number of seconds from 0.01 to 86400" : "a number of seconds from 0.01 to 86400"));

    /// <summary>A whole number of days from 0 to 3650.</summary>
    public static TimeSpan Days(IConfiguration configuration, string name, int fallback) =>
        TimeSpan.FromDays(
            configuration[name] is not { Length: > 0 } text ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 3650 ? days
            : throw Invalid(name, text, "a whole number of days from 0 to 3650"));

    // The value is the operator's own setting, not a secret: quoting it shows the typo. Long values are cut.
    private static StartupException Invalid(string name, string text, string expected) =>
        new($"{name} must be {expected}, not '{(text.Length > 40 ? text[..40] + "..." : text)}'.", StartupException.BadConfiguration);
}
