using LeadFunctions.Domain.Access;
using System.Text.Json;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Erasure;

/// <summary>Erasure (SPEC 4.5): the request starts it, the queue function runs and resumes it, GET reads its receipt.</summary>
public sealed class ErasuresFunctions(ErasureService erasures, IdempotentCreate idempotent, ILogger<ErasuresFunctions> logger)
{
    [Function("StartErasure")]
    public Task<IActionResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "erasures")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            var body = await RequestBody.ReadJsonObjectAsync(req, ct);
            var input = JsonInput.Deserialize<ErasureRequest>(body);
            return await idempotent.RunAsync(req, "erasures", body.ToJsonString(), null,
                async (id, ct) => Accepted(await erasures.StartAsync(input, id, ct)),
                async (id, ct) => await erasures.FindAsync(id, ct) is { } erasure ? Accepted(erasure) : null,
                ct);

            IActionResult Accepted(ErasureRecord erasure)
            {
                req.HttpContext.Response.Headers.Location = $"/api/erasures/{erasure.Id}";
                return ApiResults.Json(erasure, StatusCodes.Status202Accepted);
            }
        });

    [Function("GetErasure")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "erasures/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Admin, async ct => ApiResults.Json(await erasures.GetAsync(id, ct)));

    /// <summary>Runs the erasure; a crash anywhere makes the host try the message again, which goes on from where it was.</summary>
    [Function("RunErasure")]
    public Task Run(
        [QueueTrigger(StorageNames.ErasureQueue, Connection = ServiceCollectionExtensions.StorageSetting)] string message,
        CancellationToken ct)
    {
        var parsed = JsonSerializer.Deserialize<ErasureMessage>(message, JsonDefaults.Options);
        return parsed is null || !Ids.IsWellFormed(parsed.ErasureId)
            ? throw new InvalidDataException("The erasure message names no erasure.")
            : erasures.RunAsync(parsed.ErasureId, ct);
    }
}
