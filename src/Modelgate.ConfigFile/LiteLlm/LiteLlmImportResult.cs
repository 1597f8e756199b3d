namespace Modelgate.ConfigFile.LiteLlm;

/// <summary>
/// What <see cref="LiteLlmImport.Convert"/> made of a LiteLLM proxy configuration: the Modelgate document and the notes
/// on what was not converted (or converted with a choice), or, when the file cannot be read at all, no document and the
/// errors that say where (file, line, column).
/// </summary>
public sealed record LiteLlmImportResult(ConfigDocument? Document, IReadOnlyList<ConfigFileError> Errors, IReadOnlyList<LiteLlmNote> Notes);
