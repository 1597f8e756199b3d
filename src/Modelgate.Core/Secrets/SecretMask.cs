namespace Modelgate.Core.Secrets;

/// <summary>Shows enough of a key to recognise it (<c>sk-ant-a...XwAA</c>) and never enough to use it.</summary>
public static class SecretMask
{
    public static string Mask(string secret) => secret.Length switch
    {
        >= 24 => $"{secret[..8]}...{secret[^4..]}",
        >= 12 => $"{secret[..3]}...{secret[^2..]}",
        _ => "****",
    };
}
