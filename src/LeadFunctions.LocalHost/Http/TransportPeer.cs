using System.Net;

namespace LeadFunctions.LocalHost.Http;

/// <summary>
/// The address the connection really came from. The platform hops overwrite the connection's
/// remote address with a front end's (as the worker sees it on Azure), but what the host itself
/// guards, like the development identity provider's loopback-only token endpoint, must judge the
/// real peer.
/// </summary>
public static class TransportPeer
{
    private static readonly object Key = new();

    /// <summary>Runs before the platform hops, so it records the peer before they overwrite it.</summary>
    public static void UseTransportPeer(this WebApplication app) =>
        app.Use((context, next) =>
        {
            context.Items[Key] = context.Connection.RemoteIpAddress;
            return next(context);
        });

    public static IPAddress? Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var peer) ? peer as IPAddress : context.Connection.RemoteIpAddress;

    public static bool IsLoopback(HttpContext context) => Of(context) is { } peer && IPAddress.IsLoopback(peer);
}
