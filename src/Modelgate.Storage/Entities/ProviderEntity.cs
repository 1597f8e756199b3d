using Modelgate.Core.Catalog;

namespace Modelgate.Storage.Entities;

/// <summary>A row of <c>llm_providers</c>. The API key is only ever stored encrypted, with a display mask beside it.</summary>
public sealed class ProviderEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public string? BaseUrl { get; set; }

    /// <summary>AES-256-GCM ciphertext bound to this row (see <c>SecretProtector</c>).</summary>
    public string? ApiKeyCiphertext { get; set; }

    /// <summary>What the API shows of the key, e.g. <c>sk-ant-a...XwAA</c>.</summary>
    public string? ApiKeyMask { get; set; }
    public bool IsActive { get; set; } = true;
    public bool IsDefault { get; set; }
    public int? RequestsPerMinute { get; set; }
    public long? TokensPerMinute { get; set; }

    /// <summary>The limits only counted, not enforced (shadow mode), stored as the <see cref="LimitKinds"/> flags.</summary>
    public LimitKinds ShadowLimits { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Incremented on every change; the API's ETag.</summary>
    public int Revision { get; set; } = 1;

    public List<ModelEntity> Models { get; set; } = [];
}
