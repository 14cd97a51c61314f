using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.Functions.Http;

/// <summary>The address a client is rate-limited by: the one the platform vouches for.</summary>
public static class ClientAddress
{
    /// <summary>The header App Service's front end sets to the caller's address, overwriting what the caller sent.</summary>
    public const string AppServiceHeader = "X-Client-IP";

    /// <summary>
    /// The header Azure Front Door sets to the address of the connection it received. Not
    /// X-Azure-ClientIP: Front Door takes that from X-Forwarded-For, which the caller writes.
    /// </summary>
    public const string FrontDoorHeader = "X-Azure-SocketIP";

    /// <summary>
    /// Behind the Functions host the worker's connection address is the host's own peer (on Azure
    /// the front end, shared by every visitor), and X-Forwarded-For never reaches the app: the
    /// worker's forwarded-headers middleware consumes it. So the client is read from the header
    /// the platform's front end sets (<paramref name="header"/>, <c>Capture:ClientAddressHeader</c>);
    /// without one configured, or when the request lacks it, the connection address counts. An
    /// IPv6 client is counted by its /64, since one subscriber usually holds a whole /64.
    /// </summary>
    public static string Of(HttpRequest request, string? header)
    {
        var vouched = string.IsNullOrEmpty(header) ? null : Parse(request.Headers[header].ToString().Trim());
        var ip = vouched ?? request.HttpContext.Connection.RemoteIpAddress;
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

    /// <summary>An address, or an address with its port as App Service's CLIENT-IP gives it.</summary>
    private static IPAddress? Parse(string text) =>
        text.Length == 0 ? null
        : IPAddress.TryParse(text, out var ip) ? ip
        : IPEndPoint.TryParse(text, out var endpoint) ? endpoint.Address
        : null;
}
