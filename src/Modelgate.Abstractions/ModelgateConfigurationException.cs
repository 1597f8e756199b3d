namespace Modelgate.Core.Resolution;

/// <summary>
/// No source can serve a purpose. The message says exactly what to configure: which purpose, which
/// admin endpoint, which environment variable.
/// </summary>
public sealed class ModelgateConfigurationException(string purpose, string message) : Exception(message)
{
    public string Purpose { get; } = purpose;
}
