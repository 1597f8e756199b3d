using Modelgate.Core.Catalog;

namespace Modelgate.Core.Validation;

/// <summary>Reusable checks for single fields of catalog requests; each adds a readable message on failure.</summary>
public static class FieldRules
{
    /// <summary>Checks a text field: present when required, not blank, bounded in length, no control characters.</summary>
    public static void Text(ValidationErrors errors, string field, Optional<string?> value, int maxLength, bool required, bool nullable = false)
    {
        if (!value.HasValue)
        {
            if (required)
            {
                errors.Add(field, $"{field} is required");
            }

            return;
        }

        var text = value.Value;
        if (text is null)
        {
            if (!nullable)
            {
                errors.Add(field, $"{field} must not be null");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, $"{field} must not be empty");
        }
        else if (text.Length > maxLength)
        {
            errors.Add(field, $"{field} is {text.Length} characters long; the maximum is {maxLength}");
        }
        else if (text.Any(char.IsControl))
        {
            errors.Add(field, $"{field} must not contain control characters (such as newlines or tabs)");
        }
        else if (text != text.Trim())
        {
            errors.Add(field, $"{field} must not start or end with whitespace");
        }
    }

    /// <summary>Checks a nullable number against an inclusive range.</summary>
    public static void Range<T>(ValidationErrors errors, string field, Optional<T?> value, T min, T max, string? hint = null)
        where T : struct, IComparable<T>
    {
        if (value.HasValue && value.Value is { } number && (number.CompareTo(min) < 0 || number.CompareTo(max) > 0))
        {
            errors.Add(field, $"{field} must be between {min} and {max}{hint}; got {number}");
        }
    }

    /// <summary>Checks a price per million tokens: not negative, bounded, at most six decimal places.</summary>
    public static void Price(ValidationErrors errors, string field, Optional<decimal?> value)
    {
        if (!value.HasValue || value.Value is not { } price)
        {
            return;
        }

        if (price < 0)
        {
            errors.Add(field, $"{field} must not be negative; got {price}");
        }
        else if (price > 1_000_000m)
        {
            errors.Add(field, $"{field} must be at most 1000000 (USD per million tokens); got {price}");
        }
        else if (price.Scale > 6)
        {
            errors.Add(field, $"{field} may have at most 6 decimal places; got {price}");
        }
    }

    /// <summary>Checks requests and tokens per minute, with the bounds every holder of limits shares.</summary>
    public static void PerMinute(ValidationErrors errors, Optional<int?> requests, Optional<long?> tokens)
    {
        PositiveOrNull(errors, LimitNames.RequestsPerMinute, requests, 100_000_000);
        PositiveOrNull(errors, LimitNames.TokensPerMinute, tokens, 1_000_000_000_000L);
    }

    /// <summary>
    /// Checks <c>shadow_limits</c>: each name a limit that <paramref name="holder"/> has (<paramref name="allowed"/>),
    /// so a typo is refused rather than leaving a limit enforced that was meant to be watched.
    /// </summary>
    public static void ShadowLimits(ValidationErrors errors, Optional<string[]?> names, LimitKinds allowed, string holder)
    {
        const string Field = "shadow_limits";
        var refused = (names.Or(null) ?? []).Where(n => !LimitNames.TryParse(n, out var kind) || (allowed & kind) == 0).Distinct();
        // A few refused names say what is wrong; a list of thousands would only make the answer large.
        foreach (var name in refused.Take(5))
        {
            var what = name is null ? "null is not a limit"
                : LimitNames.TryParse(name, out _) ? $"'{name}' is not a limit of a {holder}"
                : $"'{name}' is not a limit";
            errors.Add(Field, $"{Field} may name {string.Join(", ", LimitNames.List(allowed))}; {what}");
        }
    }

    /// <summary>Checks a nullable limit: a positive whole number, or null for none.</summary>
    public static void PositiveOrNull<T>(ValidationErrors errors, string field, Optional<T?> value, T max)
        where T : struct, IComparable<T>, IComparable
    {
        if (value.HasValue && value.Value is { } number && (number.CompareTo(default(T)) <= 0 || number.CompareTo(max) > 0))
        {
            errors.Add(field, $"{field} must be a positive whole number up to {max}, or null for no limit; got {number}");
        }
    }
}
