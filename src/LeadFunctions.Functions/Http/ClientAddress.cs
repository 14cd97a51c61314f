using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.Functions.Http;

/// <summary>The address a client is rate-limited by.</summary>
public static class ClientAddress
{
    /// <summary>
    /// Behind Azure's front end the client is the last address the platform appended to
    /// X-Forwarded-For (the first ones are whatever the client claimed). The header counts only
    /// when the connection comes from loopback, a front end on the same machine (the Functions
    /// host in front of the worker, or a local proxy): a client connecting from elsewhere is
    /// counted by its own address, whatever it claims. An IPv6 client is counted by its /64,
    /// since one subscriber usually holds a whole /64.
    /// </summary>
    public static string Of(HttpRequest request)
    {
        var remote = request.HttpContext.Connection.RemoteIpAddress;
        var forwarded = remote is not null && IPAddress.IsLoopback(remote)
            ? request.Headers["X-Forwarded-For"].ToString()
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .LastOrDefault()
            : null;
        var ip = Parse(forwarded) ?? remote;
        if (ip is null)
        {
            return "unknown";
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static IPAddress? Parse(string? text) =>
        text is null ? null
        : IPAddress.TryParse(text, out var ip) ? ip
        : IPEndPoint.TryParse(text, out var endpoint) ? endpoint.Address
        : null;
}
