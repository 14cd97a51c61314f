using LeadFunctions.Functions.Http;
using LeadFunctions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions;

/// <summary>Liveness and storage reachability, for probes and for a first check after start.</summary>
public sealed class HealthFunction(StorageClients storage, ILogger<HealthFunction> logger)
{
    [Function("Health")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(req.HttpContext.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.EnsureCreatedAsync().WaitAsync(timeout.Token);
            await storage.Leads.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: timeout.Token);
            return ApiResults.Json(new { status = "healthy", storage = "reachable" });
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or TimeoutException or HttpRequestException or AggregateException)
        {
            logger.LogWarning(e, "Storage is not reachable");
            return ApiResults.Json(new { status = "unhealthy", storage = "unreachable" }, StatusCodes.Status503ServiceUnavailable);
        }
    }
}
