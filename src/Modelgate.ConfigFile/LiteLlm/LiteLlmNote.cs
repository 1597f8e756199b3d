namespace Modelgate.ConfigFile.LiteLlm;

/// <summary>
/// Something of a LiteLLM configuration that <see cref="LiteLlmImport"/> did not convert, or converted with a choice
/// the user should know of: where it is in the LiteLLM file (<c>model_list[3] (gpt-4o)</c>, <c>general_settings</c>)
/// and what happened. A note never holds a value that may be a secret (keys, passwords, connection strings).
/// </summary>
public sealed record LiteLlmNote(string Location, string Message)
{
    /// <summary><c>location: message</c>.</summary>
    public override string ToString() => $"{Location}: {Message}";
}
