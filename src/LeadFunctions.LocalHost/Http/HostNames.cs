namespace LeadFunctions.LocalHost.Http;

/// <summary>
/// The local host answers only requests addressed to this machine by a loopback name and the port
/// it listens on. A web page the developer visits can point its own host name at 127.0.0.1 (DNS
/// rebinding) and read the answers as same-origin; its requests then carry that foreign name in
/// Host, which is refused here. ASP.NET Core's host filtering does not compare ports, hence this.
/// </summary>
public static class HostNames
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public static bool IsThisMachine(HttpContext context)
    {
        var host = context.Request.Host;
        return host.HasValue
            && Loopback.Contains(host.Host, StringComparer.OrdinalIgnoreCase)
            && (host.Port ?? (context.Request.IsHttps ? 443 : 80)) == context.Connection.LocalPort;
    }

    public static void UseThisMachineOnly(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            if (IsThisMachine(context))
            {
                await next(context);
                return;
            }
            await ProblemResponses.WriteAsync(
                context,
                StatusCodes.Status400BadRequest,
                "Unknown host",
                "The local host answers only localhost, 127.0.0.1 and [::1] on the port it listens on.");
        });
}
