using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.Functions.Features.ApiKeys;

/// <summary>
/// PLACEHOLDER, replaced by the access work (SPEC 10): the /apikeys routes exist so that the OpenAPI
/// document and the functions stay equal (OpenApiTests), and answer 501 until the real ones land.
/// They stay at the function level, as every other route on this branch does, so that the host
/// still refuses them without a key (AuthTests) until the app authorizes them itself.
/// </summary>
public sealed class ApiKeysFunctions
{
    [Function("CreateApiKey")]
    public static Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Function, "post", Route = "apikeys")] HttpRequest req) => NotYet();

    [Function("ListApiKeys")]
    public static Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "apikeys")] HttpRequest req) => NotYet();

    [Function("RevokeApiKey")]
    public static Task<IActionResult> Revoke([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "apikeys/{id}")] HttpRequest req, string id) => NotYet();

    private static Task<IActionResult> NotYet() => Task.FromResult<IActionResult>(new StatusCodeResult(StatusCodes.Status501NotImplemented));
}
