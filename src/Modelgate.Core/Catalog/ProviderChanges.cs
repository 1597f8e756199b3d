namespace Modelgate.Core.Catalog;

/// <summary>
/// The fields an administrator may set on a provider. On create, absent fields take their defaults;
/// on update, absent fields stay as they are. Identity and timestamps are not settable.
/// </summary>
public sealed record ProviderChanges
{
    public Optional<string?> Name { get; init; }
    public Optional<string?> Type { get; init; }
    public Optional<string?> BaseUrl { get; init; }

    /// <summary>The plaintext key as sent by the administrator; null clears it.</summary>
    public Optional<string?> ApiKey { get; init; }
    public Optional<bool> IsActive { get; init; }
    public Optional<bool> IsDefault { get; init; }
    public Optional<int?> RequestsPerMinute { get; init; }
    public Optional<long?> TokensPerMinute { get; init; }

    /// <summary>Limits counted and reported but not enforced (<c>requests_per_minute</c>, <c>tokens_per_minute</c>); null or empty: none.</summary>
    public Optional<string[]?> ShadowLimits { get; init; }

    /// <summary>Hides the key so a logged or printed request never shows it.</summary>
    public override string ToString() => $"ProviderChanges {{ Name = {Name}, Type = {Type}, ApiKey = {(ApiKey.HasValue ? "(set)" : "(absent)")} }}";
}
