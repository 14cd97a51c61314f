using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Leads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>The records: create, list, read, change, lose, win and restore; a record's history and notes, and its similar records.</summary>
public sealed class LeadsFunctions(LeadCreator creator, LeadReader reader, LeadEditor editor, IdempotentCreate idempotent, ILogger<LeadsFunctions> logger)
{
    [Function("CreateLead")]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "leads")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var body = await RequestBody.ReadJsonObjectAsync(req, ct);
            var input = JsonInput.Deserialize<LeadInput>(body);
            return await idempotent.RunAsync(req, "leads", body.ToJsonString(), null,
                async (id, ct) => ApiResults.Lead(req, await creator.CreateAsync(input, "api", requireContact: false, ct, id), StatusCodes.Status201Created),
                async (id, ct) => await reader.FindAsync(id, ct) is { } lead ? ApiResults.Lead(req, lead, StatusCodes.Status201Created) : null,
                ct);
        });

    [Function("ListLeads")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "leads")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            var query = new LeadQuery(
                Query.Enum<LeadType>(req, "type"),
                Query.Enum<LeadStatus>(req, "status"),
                Query.Id(req, "teamId"),
                Query.Id(req, "userId"),
                req.Query["email"].FirstOrDefault());
            var page = await reader.ListAsync(query, pageSize, token, ct);
            return ApiResults.Json(page);
        });

    [Function("GetLead")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "leads/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct => ApiResults.Lead(req, await reader.GetAsync(id, ct)));

    [Function("PatchLead")]
    public Task<IActionResult> Patch([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "leads/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var patch = await RequestBody.ReadMergePatchAsync(req, ct);
            var ifMatch = req.Headers.IfMatch.FirstOrDefault();
            return ApiResults.Lead(req, await editor.PatchAsync(id, patch, ifMatch, ct));
        });

    [Function("LoseLead")]
    public Task<IActionResult> Lose([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "leads/{id}/lose")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var body = await RequestBody.ReadOptionalJsonObjectAsync(req, ct);
            var reason = JsonInput.Deserialize<LoseRequest>(body).Reason;
            return ApiResults.Lead(req, await editor.LoseAsync(id, reason, ct));
        });

    [Function("WinLead")]
    public Task<IActionResult> Win([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "leads/{id}/win")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct => ApiResults.Lead(req, await editor.WinAsync(id, ct)));

    [Function("RestoreLead")]
    public Task<IActionResult> Restore([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "leads/{id}/restore")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct => ApiResults.Lead(req, await editor.RestoreAsync(id, ct)));

    [Function("GetLog")]
    public Task<IActionResult> GetLog([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "leads/{id}/log")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            var page = await reader.LogAsync(id, pageSize, token, ct);
            return ApiResults.Json(page);
        });

    [Function("AddNote")]
    public Task<IActionResult> AddNote([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "leads/{id}/notes")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var body = await RequestBody.ReadJsonObjectAsync(req, ct);
            var note = JsonInput.Deserialize<NoteRequest>(body);
            // The record is part of the request: the same key and note on another record is another request.
            return await idempotent.RunAsync(req, "notes", id + "\n" + body.ToJsonString(), id,
                async (entryId, ct) => ApiResults.Created(req, $"/api/leads/{id}/log", await editor.AddNoteAsync(id, note.Message, entryId, ct)),
                async (entryId, ct) => await reader.FindLogEntryAsync(id, entryId, ct) is { } entry ? ApiResults.Created(req, $"/api/leads/{id}/log", entry) : null,
                ct);
        });

    [Function("ListSimilar")]
    public Task<IActionResult> ListSimilar([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "leads/{id}/similar")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var items = await reader.SimilarAsync(id, ct);
            return ApiResults.Json(new SimilarList(items.Count, items));
        });

    [Function("DismissSimilar")]
    public Task<IActionResult> DismissSimilar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "leads/{id}/similar/{otherId}/dismiss")] HttpRequest req, string id, string otherId) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            await editor.DismissAsync(id, otherId, ct);
            return new NoContentResult();
        });
}
