using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LeadFunctions.Domain.Webhooks;

/// <summary>
/// Where a webhook may post (SPEC 6): HTTPS to a public address only, so that a subscription can
/// never make the app reach its own network (loopback, private ranges, link-local, the cloud
/// metadata endpoints, tunnels whose far end is not the address written). These are the pure
/// rules; the storage side applies them to every address a name resolves to, when the
/// subscription is saved and again on each connection.
/// </summary>
public static class WebhookAddresses
{
    public const int MaxUrlLength = 2048;

    /// <summary>Names of metadata services that answer inside a cloud network, refused without asking DNS.</summary>
    private static readonly string[] MetadataNames = ["metadata", "metadata.google.internal", "metadata.azure.internal", "instance-data", "instance-data.ec2.internal"];

    /// <summary>The problem with the address as written (scheme, credentials, names), or null.</summary>
    public static string? ShapeProblem(string url, bool allowInsecureLocal, out Uri? uri)
    {
        uri = null;
        // Uri percent-encodes these silently, so the address stored would not be the one given;
        // and a NUL or line break in an address is an attempt at something, never a receiver.
        if (url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            return "The address must not contain spaces, control or invisible characters; percent-encode them (%20).";
        }
        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.IsUnc)
        {
            return $"Give an absolute https:// address of at most {MaxUrlLength} characters.";
        }
        if (parsed.Scheme != Uri.UriSchemeHttps && !(parsed.Scheme == Uri.UriSchemeHttp && allowInsecureLocal))
        {
            return allowInsecureLocal
                ? "Only https:// addresses (or http:// to this machine, as Events:Webhooks:AllowInsecureLocal allows) receive webhooks."
                : "Only https:// addresses receive webhooks.";
        }
        if (parsed.Port == 0)
        {
            // Port 0 is reserved: no receiver listens there, so it is never what was meant.
            return "The address's port must be from 1 to 65535.";
        }
        if (parsed.UserInfo.Length > 0)
        {
            return "The address must not carry a user name or password: the webhook's signature authenticates each delivery.";
        }
        if (parsed.Fragment.Length > 0)
        {
            return "The address must not have a fragment (#…).";
        }
        var host = parsed.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (MetadataNames.Contains(host, StringComparer.Ordinal))
        {
            return "The address names a cloud metadata service, which webhooks cannot reach.";
        }
        if (!allowInsecureLocal && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)))
        {
            return "The address is this machine (loopback), which webhooks cannot reach.";
        }
        uri = parsed;
        return null;
    }

    /// <summary>
    /// Why a connection to <paramref name="address"/> is refused, or null when it is a public
    /// address (or loopback, when <paramref name="allowLoopback"/>). With <paramref name="loopbackOnly"/>
    /// (an http:// address) nothing but loopback is allowed.
    /// </summary>
    public static string? Refusal(IPAddress address, bool allowLoopback, bool loopbackOnly = false)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var kind = Classify(address);
        // Only this machine itself: loopback carried in a NAT64 or 6to4 address is the
        // translator's or the relay's, not ours.
        if (kind == "loopback" && allowLoopback && IPAddress.IsLoopback(address))
        {
            return null;
        }
        if (kind is null && loopbackOnly)
        {
            return $"The address resolves to {address}: http:// reaches only this machine; use https://.";
        }
        return kind is null ? null : $"The address resolves to {address}, a {kind} address, which webhooks cannot reach.";
    }

    /// <summary>The kind of a non-public address ("loopback", "private", "link-local", "metadata", "tunnel", "reserved"), or null.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => "reserved",
        };
    }

    private static string? ClassifyV4(byte[] b) => (b[0], b[1], b[2], b[3]) switch
    {
        (169, 254, 169, 254) => "metadata",
        (100, 100, 100, 200) => "metadata",
        // Azure's wire server (platform DNS, the VM agent's channel): a public-looking address
        // that answers only inside Azure, to whoever asks from there.
        (168, 63, 129, 16) => "metadata",
        (0, _, _, _) => "reserved",
        (10, _, _, _) => "private",
        (100, >= 64 and <= 127, _, _) => "private",
        (127, _, _, _) => "loopback",
        (169, 254, _, _) => "link-local",
        (172, >= 16 and <= 31, _, _) => "private",
        (192, 0, 0, _) or (192, 0, 2, _) or (198, 51, 100, _) or (203, 0, 113, _) => "reserved",
        (192, 168, _, _) => "private",
        (198, 18 or 19, _, _) => "reserved",
        (>= 224, _, _, _) => "reserved",
        _ => null,
    };

    private static string? ClassifyV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return "reserved";
        }
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local";
        }
        if ((b[0] & 0xFE) == 0xFC)
        {
            // Unique local (fc00::/7), which also holds the EC2 metadata address fd00:ec2::254.
            return "private";
        }
        if (address.IsIPv6Multicast || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8))
        {
            return "reserved";
        }
        // Addresses that carry an IPv4 one (NAT64 64:ff9b::/96, 6to4 2002::/16, the deprecated
        // IPv4-compatible ::/96) are judged by the address they carry.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
        {
            if (b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            {
                return ClassifyV4(b[12..16]);
            }
            // The local-use prefix 64:ff9b:1::/48 (RFC 8215) is translated by the site's own rules,
            // wherever they lead; the rest of 64:ff9b::/32 is not assigned.
            return b[4] == 0x00 && b[5] == 0x01 ? "private" : "reserved";
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            // Teredo (2001::/32): the packets go to whichever relay and client the address
            // encodes, obfuscated, so there is no one address to judge.
            return "tunnel";
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(b[2..6]);
        }
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return "reserved";
        }
        return null;
    }
}
