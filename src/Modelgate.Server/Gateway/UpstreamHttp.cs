using System.Net;
using System.Net.Sockets;
using Modelgate.Core.Catalog;

namespace Modelgate.Server.Gateway;

/// <summary>
/// The one handler all provider traffic goes through: no redirects, and every connection re-checks the address it
/// actually connects to against the metadata rule (DNS may have changed since the administrator saved the URL).
/// </summary>
internal static class UpstreamHttp
{
    public static SocketsHttpHandler CreateHandler(BaseUrlPolicy policy, int maxConnectionsPerProvider) => new()
    {
        // A burst must not leave thousands of sockets (and their buffers) open to one provider: beyond the cap requests
        // wait for a connection, and connections left idle after the burst are closed within 20 s.
        MaxConnectionsPerServer = maxConnectionsPerProvider,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
        AllowAutoRedirect = false,
        // A proxy from the environment would make the connect-time check look at the proxy, not the provider.
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // Modelgate's trace context is not sent to third-party providers (and the header is not built per request).
        ActivityHeadersPropagator = null,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => policy.CheckAddress(a) is null).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"Refused to connect to {context.DnsEndPoint.Host}: {policy.CheckAddress(addresses.FirstOrDefault() ?? IPAddress.None) ?? "no address"}");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
