namespace Modelgate.Core.Secrets;

/// <summary>The master key is missing, malformed or does not match the stored secrets; the service must not start.</summary>
public sealed class MasterKeyException(string message) : Exception(message);
