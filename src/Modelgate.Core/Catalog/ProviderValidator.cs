using Modelgate.Core.Providers;
using Modelgate.Core.Validation;

namespace Modelgate.Core.Catalog;

/// <summary>Checks provider changes field by field, before anything is written.</summary>
public static class ProviderValidator
{
    public const int MaxNameLength = 200;
    public const int MaxBaseUrlLength = 2048;
    public const int MaxApiKeyLength = 4096;

    /// <summary>The limits a provider has, and so may put in shadow mode.</summary>
    public const LimitKinds ShadowableLimits = LimitKinds.RequestsPerMinute | LimitKinds.TokensPerMinute;

    public static ValidationErrors Validate(ProviderChanges changes, bool creating, BaseUrlPolicy baseUrls)
    {
        var errors = new ValidationErrors();
        FieldRules.Text(errors, "name", changes.Name, MaxNameLength, required: creating);
        FieldRules.Text(errors, "type", changes.Type, 64, required: creating);
        if (changes.Type is { HasValue: true, Value: { Length: <= 64 } type } && !ProviderKinds.TryParse(type, out _))
        {
            errors.Add("type", $"type must be one of {string.Join(", ", ProviderKinds.AllNames)}");
        }

        FieldRules.Text(errors, "base_url", changes.BaseUrl, MaxBaseUrlLength, required: false, nullable: true);
        if (changes.BaseUrl is { HasValue: true, Value: { } url } && url.Length <= MaxBaseUrlLength && baseUrls.Check(url) is { } urlError)
        {
            errors.Add("base_url", urlError);
        }

        FieldRules.Text(errors, "api_key", changes.ApiKey, MaxApiKeyLength, required: false, nullable: true);
        FieldRules.PerMinute(errors, changes.RequestsPerMinute, changes.TokensPerMinute);
        FieldRules.ShadowLimits(errors, changes.ShadowLimits, ShadowableLimits, "provider");
        return errors;
    }

    /// <summary>Checks the provider as it would be after the change (rules that span fields).</summary>
    public static void ValidateResult(ValidationErrors errors, ProviderKind kind, string? baseUrl)
    {
        if (kind.RequiresBaseUrl && baseUrl is null)
        {
            errors.Add("base_url", $"base_url is required for type '{kind.ToName()}'");
        }
    }
}
