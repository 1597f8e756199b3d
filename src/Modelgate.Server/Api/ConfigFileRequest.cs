using System.Text.Json;

namespace Modelgate.Server.Api;

/// <summary>
/// The body of <c>POST /api/v1/config/plan</c> and <c>/apply</c>: the document (the file read as JSON), the keys its
/// references resolved to by provider name (a provider left out keeps its key), whether objects the file does not name
/// are deleted, the file's name and SHA-256 for the audit entry, and for apply the version the plan was based on.
/// </summary>
internal sealed record ConfigFileRequest
{
    public JsonElement Document { get; init; }

    public Dictionary<string, string>? Keys { get; init; }

    public bool Prune { get; init; }

    public string? Source { get; init; }

    public string? Sha256 { get; init; }

    public long? BasedOnVersion { get; init; }
}
