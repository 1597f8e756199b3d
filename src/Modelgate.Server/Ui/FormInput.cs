using System.Globalization;
using Modelgate.Core.Catalog;
using Modelgate.Core.Validation;

namespace Modelgate.Server.Ui;

/// <summary>
/// Reads a form's text fields as the numbers and days the catalog expects (empty means "none"), collecting a message per
/// field that cannot be read, keyed by the same field names the admin API uses.
/// </summary>
internal sealed class FormInput
{
    // A plain number with a point: no thousands separators, so a comma typed as a decimal mark ("2,50") is refused
    // rather than read as 250.
    private const NumberStyles Plain = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    private const string DayFormat = "yyyy-MM-dd";

    // What a datetime-local field sends (seconds only when typed), read as UTC.
    private static readonly string[] MomentFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"];

    private readonly ValidationErrors _errors = new();

    public CatalogError? Error => _errors.IsEmpty ? null : CatalogError.Invalid(_errors);

    public int? Int(string? text, string field) => Read(text, field, "a whole number",
        (string s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v));

    public long? Long(string? text, string field) => Read(text, field, "a whole number",
        (string s, out long v) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v));

    public double? Double(string? text, string field) => Read(text, field, "a number",
        (string s, out double v) => double.TryParse(s, Plain | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out v)); // as Show writes 1E-05

    public decimal? Decimal(string? text, string field) => Read(text, field, "a number such as 2.50",
        (string s, out decimal v) => decimal.TryParse(s, Plain, CultureInfo.InvariantCulture, out v));

    /// <summary>A day (<c>yyyy-MM-dd</c>, as a date field sends it) as its first moment in UTC.</summary>
    public DateTimeOffset? Day(string? text, string field) => Read(text, field, "a date such as 2027-01-31",
        (string s, out DateTimeOffset v) => DateTimeOffset.TryParseExact(s, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out v));

    /// <summary>A date and time in UTC, as a <c>datetime-local</c> field sends it (<c>2027-01-31T09:30</c>).</summary>
    public DateTimeOffset? Moment(string? text, string field) => Read(text, field, "a date and time such as 2027-01-31T09:30",
        (string s, out DateTimeOffset v) => DateTimeOffset.TryParseExact(s, MomentFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out v));

    /// <summary>Shows a time in a <c>datetime-local</c> field, to the minute in UTC, the way <see cref="Moment"/> reads it back.</summary>
    public static string? ShowMoment(DateTime? value) => value?.ToString(MomentFormats[0], CultureInfo.InvariantCulture);

    /// <summary>Shows a time in a date field as the day it falls on in UTC, the way <see cref="Day"/> reads it back.</summary>
    public static string? ShowDay(DateTime? value) => value?.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>Shows a number in a form field the way <see cref="Read"/> reads it back.</summary>
    public static string? Show<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Shows an amount without the trailing zeros its stored scale may carry (SQLite keeps 10 as "10.0").</summary>
    public static string? Show(decimal? value) => value?.ToString("0.############################", CultureInfo.InvariantCulture);

    private delegate bool Parser<T>(string text, out T value);

    private T? Read<T>(string? text, string field, string expected, Parser<T> parse) where T : struct
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (parse(text.Trim(), out var value))
        {
            return value;
        }

        _errors.Add(field, $"'{text.Trim()}' is not {expected}; enter {expected} or leave it empty");
        return null;
    }
}
