using System.Globalization;
using Modelgate.Core.Validation;

namespace Modelgate.Core.Catalog;

/// <summary>
/// Checks experiment changes field by field, before anything is written; each error names its field, down to the variant
/// or guardrail (<c>variants[1].weight</c>). Rules that need the catalog (the target exists, the models exist and are of
/// the target's kind, one running experiment per target) are the store's.
/// </summary>
public static class ExperimentValidator
{
    public const int MaxNameLength = 100;
    public const int MaxVariantNameLength = 50;
    public const int MinVariants = 2;
    public const int MaxVariants = 10;
    public const int MaxSplitWeight = 10_000;
    public const int MaxGuardrails = 10;
    public const int MaxTargetLength = 200;
    public const int MaxModelReferenceLength = 200;
    public const int MaxDescriptionLength = 500;
    public const int MaxStopReasonLength = 1000;
    public const double DefaultAlpha = 0.05;
    public const double MaxAlpha = 0.5;
    public const double MaxGuardrailRatio = 100;

    public static ValidationErrors Validate(ExperimentChanges changes, bool creating)
    {
        var errors = new ValidationErrors();
        if (changes.Name.HasValue || creating)
        {
            Name(errors, "name", changes.Name.Or(null), MaxNameLength, creating || changes.Name.HasValue);
            if (changes.Name.Or(null) is { } name && Guid.TryParse(name, out _))
            {
                errors.Add("name", "name must not look like a Modelgate id (experiments are addressed by id or name)");
            }
        }

        FieldRules.Text(errors, "target", changes.Target, MaxTargetLength, required: creating);
        if (changes.Variants.HasValue || creating)
        {
            Variants(errors, changes.Variants.Or(null), changes.Variants.HasValue);
        }

        // Null is the default (session).
        if (changes.Stickiness is { HasValue: true, Value: { } stickiness } && !ExperimentStickinesses.TryParse(stickiness, out _))
        {
            errors.Add("stickiness", $"stickiness must be one of {string.Join(", ", ExperimentStickinesses.AllNames)}");
        }

        if (changes.Guardrails.HasValue)
        {
            Guardrails(errors, changes.Guardrails.Value ?? []);
        }

        FieldRules.Text(errors, "description", changes.Description, MaxDescriptionLength, required: false, nullable: true);
        if (changes.Alpha is { HasValue: true, Value: { } alpha } && !(alpha > 0 && alpha <= MaxAlpha))
        {
            errors.Add("alpha",
                $"alpha must be above 0 and at most {MaxAlpha.ToString(CultureInfo.InvariantCulture)} (0.05: 95 % confidence); got {alpha.ToString(CultureInfo.InvariantCulture)}");
        }

        if (changes.StartsAt.Or(null) is { } start && changes.EndsAt.Or(null) is { } end && end <= start)
        {
            errors.Add("ends_at", $"ends_at ({end:u}) must be after starts_at ({start:u})");
        }

        return errors;
    }

    /// <summary>
    /// Null when <paramref name="value"/> may name an experiment, a variant or a feedback metric: 1 to
    /// <paramref name="maxLength"/> letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, starting with a letter or digit.
    /// </summary>
    public static string? CheckName(string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{field} is required";
        }

        if (value.Length > maxLength)
        {
            return $"{field} is {value.Length} characters long; the maximum is {maxLength}";
        }

        return value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && char.IsAsciiLetterOrDigit(value[0])
            ? null
            : $"{field} must start with a letter or digit and use only letters, digits and '-', '_', '.'";
    }

    private static void Name(ValidationErrors errors, string field, string? value, int maxLength, bool required)
    {
        if ((required || value is not null) && CheckName(field, value, maxLength) is { } error)
        {
            errors.Add(field, error);
        }
    }

    private static void Variants(ValidationErrors errors, ExperimentVariantChanges?[]? variants, bool present)
    {
        if (variants is null)
        {
            errors.Add("variants", present ? "variants must not be null" : "variants is required: at least two, the first being the control");
            return;
        }

        if (variants.Length is < MinVariants or > MaxVariants)
        {
            errors.Add("variants", $"an experiment has {MinVariants} to {MaxVariants} variants (the first is the control); got {variants.Length}");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long split = 0;
        for (var i = 0; i < Math.Min(variants.Length, MaxVariants); i++)
        {
            var at = $"variants[{i}]";
            if (variants[i] is not { } variant)
            {
                errors.Add(at, "a variant is an object with name, model_id, weight and optionally shadow and parameters; not null");
                continue;
            }

            Name(errors, $"{at}.name", variant.Name, MaxVariantNameLength, required: true);
            if (variant.Name is { } name && !names.Add(name))
            {
                errors.Add($"{at}.name", $"variant names must be unique (ignoring case); '{name}' is used twice");
            }

            if (variant.ModelId is { } model)
            {
                FieldRules.Text(errors, $"{at}.model_id", model, MaxModelReferenceLength, required: true);
            }

            if (i == 0 && variant.Shadow)
            {
                errors.Add($"{at}.shadow", "the first variant is the control: it serves calls and cannot be a shadow");
            }
            else if (variant.Shadow && variant.ModelId is null)
            {
                errors.Add($"{at}.model_id", "a shadow variant needs a model_id: without one it would copy calls to the model that already answers them");
            }

            Weight(errors, $"{at}.weight", variant);
            split += variant.Shadow ? 0 : Math.Max(0, variant.Weight ?? 0);
            if (variant.Parameters is { } parameters)
            {
                FieldRules.Range(errors, $"{at}.parameters.temperature", new Optional<double?>(parameters.Temperature), 0.0, 2.0);
                FieldRules.Range(errors, $"{at}.parameters.top_p", new Optional<double?>(parameters.TopP), 0.0, 1.0);
                FieldRules.PositiveOrNull(errors, $"{at}.parameters.max_tokens", new Optional<int?>(parameters.MaxTokens), 10_000_000);
            }
        }

        if (split == 0 && variants.Length > 0 && variants.All(v => v?.Weight is not null))
        {
            errors.Add("variants", "the weights of the split variants (all but the shadows) must add up to more than 0");
        }
    }

    private static void Weight(ValidationErrors errors, string field, ExperimentVariantChanges variant)
    {
        if (variant.Weight is not { } weight)
        {
            errors.Add(field, variant.Shadow
                ? $"{field} is required: for a shadow variant, the percentage (1–100) of calls it gets a copy of"
                : $"{field} is required: the variant's share of the split (0–{MaxSplitWeight}, relative to the other variants)");
        }
        else if (variant.Shadow && weight is < 1 or > 100)
        {
            errors.Add(field, $"a shadow variant's weight is the percentage of calls it gets a copy of: 1 to 100; got {weight}");
        }
        else if (!variant.Shadow && weight is < 0 or > MaxSplitWeight)
        {
            errors.Add(field, $"a variant's weight is its share of the split: a whole number from 0 to {MaxSplitWeight}; got {weight}");
        }
    }

    private static void Guardrails(ValidationErrors errors, ExperimentGuardrail?[] guardrails)
    {
        if (guardrails.Length > MaxGuardrails)
        {
            errors.Add("guardrails", $"an experiment has at most {MaxGuardrails} guardrails; got {guardrails.Length}");
        }

        var metrics = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(guardrails.Length, MaxGuardrails); i++)
        {
            var at = $"guardrails[{i}]";
            if (guardrails[i] is not { } guardrail)
            {
                errors.Add(at, "a guardrail is an object with metric and max_increase or max_ratio; not null");
                continue;
            }

            if (guardrail.Metric is null || !GuardrailMetrics.All.Contains(guardrail.Metric))
            {
                errors.Add($"{at}.metric", $"metric must be one of {string.Join(", ", GuardrailMetrics.All)}");
                continue;
            }

            if (!metrics.Add(guardrail.Metric))
            {
                errors.Add($"{at}.metric", $"one guardrail per metric; '{guardrail.Metric}' is there twice");
            }

            if (GuardrailMetrics.IsRate(guardrail.Metric))
            {
                Bound(errors, at, guardrail.Metric, "max_increase", guardrail.MaxIncrease, "a fraction above 0 and at most 1 (0.02: 2 points above the control)",
                    v => v > 0 && v <= 1, "max_ratio", guardrail.MaxRatio);
            }
            else
            {
                Bound(errors, at, guardrail.Metric, "max_ratio", guardrail.MaxRatio, $"above 1 and at most {MaxGuardrailRatio} (1.5: not above 1.5 × the control)",
                    v => v > 1 && v <= MaxGuardrailRatio, "max_increase", guardrail.MaxIncrease);
            }
        }
    }

    private static void Bound(
        ValidationErrors errors, string at, string metric, string field, double? value, string rule, Func<double, bool> valid, string other, double? otherValue)
    {
        if (value is not { } bound || !valid(bound))
        {
            errors.Add($"{at}.{field}", $"a '{metric}' guardrail needs {field}: {rule}{(value is { } got ? $"; got {got.ToString(CultureInfo.InvariantCulture)}" : "")}");
        }

        if (otherValue is not null)
        {
            errors.Add($"{at}.{other}", $"a '{metric}' guardrail is bounded by {field}, not {other}");
        }
    }
}
