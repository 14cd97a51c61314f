using LeadFunctions.Domain.Access;
using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Access;

/// <summary>Who am I (SPEC 10): the console shows it and hides what the role may not do.</summary>
public sealed class MeFunction(ILogger<MeFunction> logger)
{
    [Function("GetMe")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Sales, ct =>
        {
            var caller = RequestAccess.CallerOf(req);
            return Task.FromResult(ApiResults.Json(new Me(caller.Actor, caller.Role, caller.Email)));
        });
}
