using Modelgate.Core.Validation;

namespace Modelgate.Core.Catalog;

/// <summary>Checks model changes field by field, before anything is written.</summary>
public static class ModelValidator
{
    public const int MaxModelIdLength = 200;

    /// <summary>The limits a model has (across every caller), and so may put in shadow mode.</summary>
    public const LimitKinds ShadowableLimits = LimitKinds.RequestsPerMinute | LimitKinds.TokensPerMinute;

    public static ValidationErrors Validate(ModelChanges changes, bool creating)
    {
        var errors = new ValidationErrors();
        FieldRules.Text(errors, "model_id", changes.ModelId, MaxModelIdLength, required: creating);
        if (changes.ModelId is { HasValue: true, Value: { } id } && Guid.TryParse(id, out _))
        {
            errors.Add("model_id", "model_id is the upstream model name (e.g. 'gpt-4o-mini') and must not look like a Modelgate id");
        }

        FieldRules.Text(errors, "display_name", changes.DisplayName, 200, required: false, nullable: true);
        FieldRules.Text(errors, "type", changes.Type, 32, required: false);
        if (changes.Type is { HasValue: true, Value: { } type } && !ModelKinds.TryParse(type, out _))
        {
            errors.Add("type", $"type must be one of {string.Join(", ", ModelKinds.AllNames)}");
        }

        if (changes.ProviderId is { HasValue: true, Value: null })
        {
            errors.Add("provider_id", "provider_id must not be null");
        }

        FieldRules.Range(errors, "temperature", changes.Temperature, 0.0, 2.0);
        FieldRules.Range(errors, "top_p", changes.TopP, 0.0, 1.0);
        FieldRules.PositiveOrNull(errors, "max_tokens", changes.MaxTokens, 10_000_000);
        FieldRules.Price(errors, "input_price_per_million", changes.InputPricePerMillion);
        FieldRules.Price(errors, "output_price_per_million", changes.OutputPricePerMillion);
        FieldRules.Price(errors, "cached_input_price_per_million", changes.CachedInputPricePerMillion);
        FieldRules.PositiveOrNull(errors, "context_window", changes.ContextWindow, 100_000_000);
        FieldRules.PositiveOrNull(errors, "embedding_dimensions", changes.EmbeddingDimensions, 100_000);
        FieldRules.PerMinute(errors, changes.RequestsPerMinute, changes.TokensPerMinute);
        FieldRules.ShadowLimits(errors, changes.ShadowLimits, ShadowableLimits, "model");
        if (changes.DefaultForAgentTypes is { HasValue: true, Value: { } agentTypes })
        {
            foreach (var agentType in agentTypes)
            {
                if (!Purpose.TryParse("agents/" + agentType, out _, out var error))
                {
                    errors.Add("default_for_agent_types", error);
                }
            }
        }

        return errors;
    }
}
