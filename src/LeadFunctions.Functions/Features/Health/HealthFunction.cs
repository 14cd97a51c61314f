using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Health;

/// <summary>Liveness and storage reachability, for probes and for a first check after start: 503 names what cannot be reached.</summary>
public sealed class HealthFunction(StorageClients storage, ILogger<HealthFunction> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Function("Health")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(req.HttpContext.RequestAborted);
        timeout.CancelAfter(Timeout);
        var ct = timeout.Token;
        var checks = await Task.WhenAll(
            CheckAsync("tables", () => storage.ProbeTablesAsync(ct)),
            CheckAsync("queues", () => storage.ProbeQueuesAsync(ct)));
        var unreachable = checks.Where(c => !c.Reachable).Select(c => c.Name).ToArray();
        var body = new HealthReport(
            unreachable.Length == 0 ? "healthy" : "unhealthy",
            unreachable.Length == 0 ? "reachable" : "unreachable",
            State(checks[0]),
            State(checks[1]),
            unreachable);
        return ApiResults.Json(body, unreachable.Length == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string State((string Name, bool Reachable) check) => check.Reachable ? "reachable" : "unreachable";

    private async Task<(string Name, bool Reachable)> CheckAsync(string name, Func<Task> probe)
    {
        try
        {
            await probe();
            return (name, true);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or TimeoutException or HttpRequestException or AggregateException
                                      or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            logger.LogWarning(e, "Storage {Service} not reachable", name);
            return (name, false);
        }
    }
}
