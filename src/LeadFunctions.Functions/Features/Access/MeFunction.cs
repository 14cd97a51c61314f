using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.Functions.Features.Access;

/// <summary>
/// PLACEHOLDER, replaced by the access work (SPEC 10): GET /me exists so that the OpenAPI document
/// and the functions stay equal (OpenApiTests), and answers 501 until the real one lands. It stays
/// at the function level, as every other route on this branch does, so that the host still refuses
/// it without a key (AuthTests) until the app authorizes it itself.
/// </summary>
public sealed class MeFunction
{
    [Function("GetMe")]
    public static Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "me")] HttpRequest req) =>
        Task.FromResult<IActionResult>(new StatusCodeResult(StatusCodes.Status501NotImplemented));
}
