using System.Diagnostics;
using Modelgate.Core.Catalog;
using Modelgate.Core.Resolution;
using Modelgate.Core.Secrets;

namespace Modelgate.Core.Providers;

/// <summary>The outcome of testing a provider: whether it answered, how fast, and a sentence for the administrator.</summary>
public sealed record ConnectionTestResult(bool Succeeded, string Message, TimeSpan Elapsed, IReadOnlyList<string> Models);

/// <summary>
/// Tests a provider with its stored key by listing its models through the provider's SDK: a real, authenticated
/// call that spends no tokens. The message never contains the key, even if the provider's answer quoted it.
/// </summary>
public sealed class ProviderConnectionTest(ProviderAdapters adapters, SecretProtector secrets, HttpMessageHandler handler)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<ConnectionTestResult> RunAsync(ProviderConfig provider, CancellationToken cancellationToken)
    {
        if (provider.ApiKeyCiphertext is null && provider.RequiresApiKey)
        {
            return new(false, $"{provider.Name} has no API key, and {provider.Kind.ToName()} needs one. Add the key, save, and test again.", TimeSpan.Zero, []);
        }

        string? key = null;
        var clock = Stopwatch.StartNew();
        try
        {
            key = provider.ApiKeyCiphertext is { } ciphertext ? secrets.Unprotect(ciphertext, SecretContext.ProviderApiKey(provider.Id)) : null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            var models = await adapters.For(provider.Kind).ListModelsAsync(provider, key, handler, deadline.Token);
            var shown = string.Join(", ", models.Take(5)) + (models.Count > 5 ? ", …" : "");
            var listing = models.Count == 0 ? "it lists no models" : $"it lists {models.Count} model{(models.Count == 1 ? "" : "s")} ({shown})";
            return new(true, $"Connected in {clock.ElapsedMilliseconds} ms: {listing}.", clock.Elapsed, models);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new(false, Scrub(Explain(error), key, provider.ApiKeyMask), clock.Elapsed, []);
        }
    }

    private static string Explain(Exception error) => error switch
    {
        SecretDecryptionException => "The stored key cannot be decrypted with the current master key. Enter the key again.",
        _ when ModelgateProviderException.StatusOf(error) is (401 or 403) and var refused =>
            $"The provider refused the key (HTTP {refused}). Replace the key and test again.",
        _ when ModelgateProviderException.StatusOf(error) is 404 =>
            "Nothing answers at this base URL's models endpoint (HTTP 404). Check the base URL.",
        _ when ModelgateProviderException.StatusOf(error) is { } status => $"The provider answered HTTP {status}.",
        _ when Find<OperationCanceledException>(error) is not null || Find<TimeoutException>(error) is not null =>
            $"No answer within {Timeout.TotalSeconds:0} seconds. Check the base URL and the network.",
        _ when Find<HttpRequestException>(error) is { } http => $"Could not reach the provider: {http.Message}",
        _ => $"The call failed: {error.GetType().Name}.",
    };

    // SDKs wrap transport failures in their own exception types (System.ClientModel's ClientResultException, ...).
    private static T? Find<T>(Exception error) where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Scrub(string message, string? key, string? mask) =>
        key is { Length: > 0 } ? message.Replace(key, mask ?? "(key)", StringComparison.Ordinal) : message;
}
