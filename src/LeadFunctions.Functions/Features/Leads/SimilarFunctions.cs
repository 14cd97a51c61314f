using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>Similar records found by duplicate detection, and "not a duplicate".</summary>
public sealed class SimilarFunctions(LeadService leads, ILogger<SimilarFunctions> logger)
{
    [Function("ListSimilar")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "leads/{id}/similar")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct =>
        {
            var items = await leads.SimilarAsync(id, ct);
            return ApiResults.Json(new SimilarList(items.Count, items));
        });

    [Function("DismissSimilar")]
    public Task<IActionResult> Dismiss(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "leads/{id}/similar/{otherId}/dismiss")] HttpRequest req, string id, string otherId) =>
        Api.RunAsync(req, logger, async ct =>
        {
            await leads.DismissAsync(id, otherId, ct);
            return new NoContentResult();
        });
}
