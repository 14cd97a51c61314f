using LeadFunctions.Domain.Access;
using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>Conversion of leads into opportunities (SPEC 4.3): defaults, one lead, many leads.</summary>
public sealed class ConversionFunctions(ConversionProposals proposals, ConvertHandler convert, BulkConversionHandler bulk, ILogger<ConversionFunctions> logger)
{
    [Function("GetConversionDefaults")]
    public Task<IActionResult> Defaults([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "leads/{id}/conversion")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct => ApiResults.Json(await proposals.DefaultsAsync(id, ct)));

    [Function("ConvertLead")]
    public Task<IActionResult> Convert([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "leads/{id}/convert")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var request = JsonInput.Deserialize<ConvertRequest>(await RequestBody.ReadOptionalJsonObjectAsync(req, ct));
            var result = await convert.ConvertAsync(id, request, ct);
            if (result.Lead.Version is { } version)
            {
                req.HttpContext.Response.Headers.ETag = ApiResults.Quoted(version);
            }
            return ApiResults.Json(result);
        });

    [Function("ConvertLeads")]
    public Task<IActionResult> ConvertMany([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "conversions")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Manager, async ct =>
        {
            var request = JsonInput.Deserialize<BulkConvertRequest>(await RequestBody.ReadJsonObjectAsync(req, ct));
            return ApiResults.Json(new BulkConvertResponse(await bulk.ConvertAsync(request, ct)));
        });
}
