using System.Net;
using Microsoft.Extensions.Options;

namespace LeadFunctions.LocalHost.Http;

/// <summary>Which front end the local host plays in front of the functions (setting <c>LocalHost:FrontEnd</c>).</summary>
public enum FrontEnd
{
    /// <summary>None: the caller talks to the Functions host directly, as with Core Tools.</summary>
    None,

    /// <summary>App Service's front end (every plan, Flex Consumption included).</summary>
    AppService,

    /// <summary>Azure Front Door in front of App Service's front end.</summary>
    FrontDoor,
}

/// <summary>
/// What happens to a request between the caller and the functions on Azure, so that the functions
/// see here what the worker sees there. The front end (when played) writes the caller's address
/// into its own headers, overwriting whatever the caller claimed there. The Functions host then
/// forwards with YARP's default transformer, which replaces X-Forwarded-For with the host's own
/// peer, and the worker's forwarded-headers middleware makes that peer the connection's address
/// and removes the header. So behind a front end every visitor shares the front end's address,
/// and only the front end's header tells them apart.
/// </summary>
public static class PlatformHops
{
    public const string FrontEndSetting = "LocalHost:FrontEnd";

    /// <summary>The address the functions see as their peer behind App Service's front end (documentation range, RFC 5737: never contacted).</summary>
    public static readonly IPAddress AppServiceFrontEnd = IPAddress.Parse("192.0.2.10");

    /// <summary>The Front Door edge App Service's front end sees as its caller (documentation range, never contacted).</summary>
    public static readonly IPAddress FrontDoorEdge = IPAddress.Parse("198.51.100.20");

    public static FrontEnd Read(IConfiguration configuration)
    {
        var text = configuration[FrontEndSetting];
        return string.IsNullOrEmpty(text) ? FrontEnd.None
            : Enum.TryParse<FrontEnd>(text, ignoreCase: true, out var frontEnd) && Enum.IsDefined(frontEnd) && !int.TryParse(text, out _) ? frontEnd
            : throw new OptionsValidationException(FrontEndSetting, typeof(FrontEnd), [$"{FrontEndSetting} is '{text}': give None (the default, as Core Tools), AppService or FrontDoor."]);
    }

    public static void UsePlatformHops(this WebApplication app, FrontEnd frontEnd) =>
        app.Use((context, next) =>
        {
            Forward(context, frontEnd);
            return next(context);
        });

    private static void Forward(HttpContext context, FrontEnd frontEnd)
    {
        var headers = context.Request.Headers;
        var peer = context.Connection.RemoteIpAddress;
        var port = context.Connection.RemotePort;
        if (frontEnd == FrontEnd.FrontDoor && peer is not null)
        {
            // Front Door vouches for the connection (SocketIP); its ClientIP is the caller's own first X-Forwarded-For entry when it sent one.
            var claimed = headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            headers["X-Azure-SocketIP"] = peer.ToString();
            headers["X-Azure-ClientIP"] = claimed ?? peer.ToString();
            peer = FrontDoorEdge;
        }
        if (frontEnd != FrontEnd.None && peer is not null)
        {
            headers["X-Client-IP"] = peer.ToString();
            headers["CLIENT-IP"] = new IPEndPoint(peer, port).ToString();
            peer = AppServiceFrontEnd;
        }
        headers.Remove("X-Forwarded-For");
        context.Connection.RemoteIpAddress = peer;
    }
}
