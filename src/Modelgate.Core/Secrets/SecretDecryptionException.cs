namespace Modelgate.Core.Secrets;

/// <summary>
/// A stored secret could not be decrypted: its key is unknown, it was tampered with, or it was copied
/// from another row. Callers fail closed; the message never contains secret material.
/// </summary>
public sealed class SecretDecryptionException(string message) : Exception(message);
