using System.Net;
using System.Net.Sockets;

namespace Modelgate.Core.Catalog;

/// <summary>
/// Decides which provider base URLs are acceptable: http(s) only, no credentials in the URL,
/// never a cloud metadata endpoint (in any spelling), and optionally no loopback or private ranges.
/// </summary>
public sealed class BaseUrlPolicy(bool allowPrivateNetworks = true)
{
    private static readonly string[] MetadataHostNames =
    [
        "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
        "metadata.azure.com", "metadata.tencentyun.com",
    ];

    private static readonly IPAddress AwsIpv6Metadata = IPAddress.Parse("fd00:ec2::254");
    private static readonly IPAddress AlibabaMetadata = IPAddress.Parse("100.100.100.200");

    public bool AllowPrivateNetworks { get; } = allowPrivateNetworks;

    /// <summary>Returns why <paramref name="value"/> is not acceptable, or null when it is.</summary>
    public string? Check(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "base_url must be an absolute URL such as https://api.example.com/v1";
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return $"base_url must use http or https, not '{uri.Scheme}'";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "base_url must not contain credentials; put the key in api_key";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "base_url must not contain a fragment ('#...')";
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (MetadataHostNames.Contains(host))
        {
            return $"base_url points at a cloud metadata service ('{host}'), which is never allowed";
        }

        if (TryParseHostAddress(host, out var address))
        {
            return CheckAddress(address);
        }

        if (!AllowPrivateNetworks && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)))
        {
            return "base_url points at loopback, which this server is configured to refuse (MODELGATE_ALLOW_PRIVATE_BASE_URLS=false)";
        }

        return null;
    }

    /// <summary>Returns why a connection to <paramref name="address"/> must not be made, or null when it may.</summary>
    public string? CheckAddress(IPAddress address)
    {
        address = EmbeddedIpv4(address) ?? address;

        if (IsMetadata(address))
        {
            return $"base_url points at a cloud metadata address ({address}), which is never allowed";
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "base_url must not point at the unspecified address";
        }

        if (!AllowPrivateNetworks && IsPrivate(address))
        {
            return $"base_url points at a loopback or private address ({address}), which this server is configured to refuse (MODELGATE_ALLOW_PRIVATE_BASE_URLS=false)";
        }

        return null;
    }

    // IPv4 carried inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d).
    private static IPAddress? EmbeddedIpv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        var compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !IPAddress.IPv6Loopback.Equals(address) && !IPAddress.IPv6Any.Equals(address);
        var nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        return compatible || nat64 ? new IPAddress(b.AsSpan(12, 4)) : null;
    }

    private static bool IsMetadata(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            // The whole IPv4 link-local range: every cloud's metadata service lives at 169.254.169.254 or nearby.
            return (b[0] == 169 && b[1] == 254) || address.Equals(AlibabaMetadata);
        }

        return address.Equals(AwsIpv6Metadata) || address.IsIPv6LinkLocal;
    }

    private static bool IsPrivate(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || b[0] == 0;
        }

        return address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal;
    }

    /// <summary>
    /// Parses a host that is an IP literal in any spelling the network stack accepts
    /// (dotted, single decimal number, hex, octal, bracketed IPv6).
    /// </summary>
    private static bool TryParseHostAddress(string host, out IPAddress address)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out address!))
        {
            return true;
        }

        return TryParseLooseIpv4(literal, out address);
    }

    // inet_aton accepts forms IPAddress.TryParse may not (e.g. "0xa9.0xfe.0xa9.0xfe"); parse them the same way.
    private static bool TryParseLooseIpv4(string host, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = host.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return false;
        }

        var values = new List<ulong>();
        foreach (var part in parts)
        {
            if (!TryParseInetPart(part, out var v))
            {
                return false;
            }

            values.Add(v);
        }

        ulong result = 0;
        for (var i = 0; i < values.Count - 1; i++)
        {
            if (values[i] > 255)
            {
                return false;
            }

            result |= values[i] << (8 * (3 - i));
        }

        var last = values[^1];
        var lastBits = 8 * (4 - (values.Count - 1));
        if (last >= 1UL << lastBits)
        {
            return false;
        }

        result |= last;
        address = new IPAddress([(byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result]);
        return true;
    }

    private static bool TryParseInetPart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0 || part.Length > 12)
        {
            return false;
        }

        if (part.StartsWith("0x", StringComparison.Ordinal))
        {
            return part.Length > 2 && ulong.TryParse(part.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
        }

        if (part.Length > 1 && part[0] == '0')
        {
            try
            {
                value = Convert.ToUInt64(part, 8);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return part.All(char.IsAsciiDigit) && ulong.TryParse(part, out value);
    }
}
