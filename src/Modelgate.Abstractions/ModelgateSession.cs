namespace Modelgate.Core.Experiments;

/// <summary>
/// How an application names the session a call belongs to, so an experiment keeps the session on one variant and
/// feedback can name it: <c>ChatOptions.AdditionalProperties["modelgate_session"]</c> in .NET (either mode), the
/// <c>x-modelgate-session</c> header (or the API's own end-user field) at the gateway.
/// </summary>
public static class ModelgateSession
{
    /// <summary>The key of <c>ChatOptions.AdditionalProperties</c> that names the session.</summary>
    public const string OptionKey = "modelgate_session";

    /// <summary>The longest session id kept; a longer one is cut (it is hashed, so only its start decides).</summary>
    public const int MaxLength = 256;

    /// <summary>A session id as sent, trimmed and bounded; null when empty.</summary>
    public static string? Clean(string? session)
    {
        var trimmed = session?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length > MaxLength ? trimmed[..MaxLength] : trimmed;
    }
}
