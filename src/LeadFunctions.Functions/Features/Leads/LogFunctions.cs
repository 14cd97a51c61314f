using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>A record's history, newest first, and notes.</summary>
public sealed class LogFunctions(LeadService leads, ILogger<LogFunctions> logger)
{
    [Function("GetLog")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "leads/{id}/log")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            var page = await leads.LogAsync(id, pageSize, token, ct);
            return ApiResults.Json(page);
        });

    [Function("AddNote")]
    public Task<IActionResult> AddNote([HttpTrigger(AuthorizationLevel.Function, "post", Route = "leads/{id}/notes")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct =>
        {
            var body = JsonInput.Deserialize<NoteRequest>(await RequestBody.ReadJsonObjectAsync(req, ct));
            var entry = await leads.AddNoteAsync(id, body.Message, ct);
            return ApiResults.Created(req, $"/api/leads/{id}/log", entry);
        });
}
