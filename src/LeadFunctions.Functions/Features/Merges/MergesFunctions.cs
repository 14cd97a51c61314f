using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Functions.Features.Access;
using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>Merges of leads and opportunities (SPEC 4.4): merge, dry run, read, undo.</summary>
public sealed class MergesFunctions(MergeService merges, UndoService undo, ILogger<MergesFunctions> logger)
{
    [Function("CreateMerge")]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "merges")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var body = JsonInput.Deserialize<MergeRequest>(await RequestBody.ReadJsonObjectAsync(req, ct));
            var options = new MergeOptions(body.SurvivorId, body.FieldSources, body.UserId, body.TeamId);
            var result = await merges.MergeAsync(body.LeadIds ?? [], options, body.DryRun == true, ct);
            if (result.MergeId is null)
            {
                return ApiResults.Json(new MergeResult(null, result.SurvivorId, result.MergedIds, result.Lead, result.Sources));
            }
            logger.LogInformation("Merge {MergeId} kept {SurvivorId} and merged {MergedIds}", result.MergeId, result.SurvivorId, result.MergedIds);
            return ApiResults.Created(req, $"/api/merges/{result.MergeId}", new MergeResult(result.MergeId, result.SurvivorId, result.MergedIds, result.Lead, null));
        });

    [Function("GetMerge")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "merges/{mergeId}")] HttpRequest req, string mergeId) =>
        Api.RunAsync(req, logger, Role.Sales, async ct => ApiResults.Json(await merges.GetAsync(mergeId, ct)));

    [Function("UndoMerge")]
    public Task<IActionResult> Undo([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "merges/{mergeId}/undo")] HttpRequest req, string mergeId) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var body = JsonInput.Deserialize<UndoRequest>(await RequestBody.ReadOptionalJsonObjectAsync(req, ct));
            var caller = RequestAccess.CallerOf(req);
            // SPEC 10: sales undo their own merges; a manager undoes anyone's.
            if (!caller.Has(Role.Manager) && !(await merges.GetAsync(mergeId, ct)).IsMergedBy(caller.Actor))
            {
                throw new ForbiddenException("Only who made a merge, or a manager, may undo it.");
            }
            return ApiResults.Json(await undo.UndoAsync(mergeId, body.Force == true, ct));
        });
}
