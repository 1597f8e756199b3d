namespace Modelgate.Cli.Connection;

/// <summary>Where the server is and the admin token to present; <see cref="ToString"/> never shows the token.</summary>
public sealed record ConnectionSettings(Uri Url, string Token)
{
    /// <inheritdoc />
    public override string ToString() => Url.ToString();
}
