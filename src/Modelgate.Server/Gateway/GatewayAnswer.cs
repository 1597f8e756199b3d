namespace Modelgate.Server.Gateway;

/// <summary>
/// What one model of the chain opened and the caller is to get: a provider's answer (its headers or first update in
/// hand) or a refusal of the request. The pipeline picks the model (<see cref="GatewayDispatch"/>); relaying the answer
/// is the step after it, where no fallback is possible any more. Disposing it lets go of what it holds (the provider's
/// response or stream: an <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>), also when the relay never runs.
/// </summary>
internal sealed class GatewayAnswer(Func<HttpContext, Task> relay, object? holds = null) : IAsyncDisposable
{
    /// <summary>An answer that is an error in the caller's format: the request itself is at fault, no model can serve it.</summary>
    public static GatewayAnswer Error(IResult error) => new(error.ExecuteAsync);

    /// <summary>Sends the answer to the caller.</summary>
    public Task RelayAsync(HttpContext context) => relay(context);

    public async ValueTask DisposeAsync()
    {
        switch (holds)
        {
            case IAsyncDisposable asynchronous:
                await asynchronous.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
