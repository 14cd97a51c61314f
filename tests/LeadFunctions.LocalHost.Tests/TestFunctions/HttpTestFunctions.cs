using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.LocalHost.Tests.TestFunctions;

/// <summary>HTTP entry points named by test.functions.metadata; the constructor proves per-request DI.</summary>
public sealed class HttpTestFunctions(ILogger<HttpTestFunctions> logger)
{
    public IActionResult Hello(HttpRequest req, string name)
    {
        logger.LogDebug("Hello {Name}", name);
        return new OkObjectResult(new { greeting = $"Hello {name}" });
    }

    public async Task<IResult> Item(HttpRequest req, int id, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return Results.Ok(new { id, method = req.Method, cancellable = cancellationToken.CanBeCanceled });
    }

    public static async Task Written(HttpRequest request)
    {
        request.HttpContext.Response.StatusCode = StatusCodes.Status201Created;
        await request.HttpContext.Response.WriteAsync("written");
    }

    /// <summary>What the function sees of the connection and the platform's headers.</summary>
    public IActionResult Peer(HttpRequest req) => new OkObjectResult(new
    {
        remote = req.HttpContext.Connection.RemoteIpAddress?.ToString(),
        host = req.Host.Value,
        clientIp = req.Headers["X-Client-IP"].ToString(),
        clientIpPort = req.Headers["CLIENT-IP"].ToString(),
        azureClientIp = req.Headers["X-Azure-ClientIP"].ToString(),
        azureSocketIp = req.Headers["X-Azure-SocketIP"].ToString(),
        forwardedFor = req.Headers["X-Forwarded-For"].ToString(),
    });

    public void Nothing(HttpRequest req)
    {
    }

    public IActionResult Boom(HttpRequest req) => throw new InvalidOperationException("boom");
}
