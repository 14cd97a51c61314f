using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.Functions.OpenApi;

public sealed class OpenApiFunction
{
    [Function("OpenApi")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        new ContentResult { Content = OpenApi.OpenApiDocument.Text, ContentType = "application/json", StatusCode = StatusCodes.Status200OK };
}
