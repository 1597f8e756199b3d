namespace Modelgate.Server.Gateway;

/// <summary>
/// The end of a stopping server's drain: calls in progress get <see cref="GatewayOptions.DrainTimeout"/> to finish
/// once the server is told to stop; then <see cref="Ended"/> fires and streams still running end with a terminal error
/// event (recorded as <c>shutdown</c>), rather than being reset by the host without a word.
/// </summary>
internal sealed class GatewayDrain : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private readonly CancellationTokenRegistration _stopping;

    public GatewayDrain(IHostApplicationLifetime lifetime, GatewayOptions options)
    {
        Timeout = options.DrainTimeout;
        _stopping = lifetime.ApplicationStopping.Register(() => _ended.CancelAfter(options.DrainTimeout));
    }

    public TimeSpan Timeout { get; }

    public CancellationToken Ended => _ended.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        _ended.Dispose();
    }
}
