using Modelgate.Core.Validation;

namespace Modelgate.Core.Catalog;

/// <summary>The fields an administrator may set on a gateway key; the secret itself is generated, never chosen.</summary>
public sealed record VirtualKeyChanges
{
    public Optional<string?> Name { get; init; }

    /// <summary>Purposes the key may use (<c>chat</c>, <c>agents</c>, <c>agents/researcher</c>, <c>agents/*</c>); empty or null: all.</summary>
    public Optional<string[]?> AllowedPurposes { get; init; }

    /// <summary>Upstream model names the key may reach; empty or null: all.</summary>
    public Optional<string[]?> AllowedModels { get; init; }

    /// <summary>When the key stops working; null: never.</summary>
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }

    public ValidationErrors Validate(bool creating, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        FieldRules.Text(errors, "name", Name, 200, required: creating);
        foreach (var purpose in AllowedPurposes.Or(null) ?? [])
        {
            if (purpose != "agents/*" && !Purpose.TryParse(purpose, out _, out var error))
            {
                errors.Add("allowed_purposes", error + " (or 'agents/*' for every agent type)");
            }
        }

        foreach (var model in AllowedModels.Or(null) ?? [])
        {
            FieldRules.Text(errors, "allowed_models", model, ModelValidator.MaxModelIdLength, required: true);
        }

        if ((AllowedPurposes.Or(null)?.Length ?? 0) > 100 || (AllowedModels.Or(null)?.Length ?? 0) > 100)
        {
            errors.Add("allowed_purposes", "at most 100 entries per allow-list");
        }

        if (ExpiresAt is { HasValue: true, Value: { } expiry } && expiry <= now)
        {
            errors.Add("expires_at", $"expires_at must be in the future (it is now {now:u}); revoke a key to stop it at once");
        }

        return errors;
    }
}
