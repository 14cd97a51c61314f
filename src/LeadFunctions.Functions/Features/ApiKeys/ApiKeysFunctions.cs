using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.ApiKeys;

/// <summary>API keys for machines (SPEC 10): made, listed and revoked by admins.</summary>
public sealed class ApiKeysFunctions(ApiKeyStore keys, IdempotentCreate idempotent, ILogger<ApiKeysFunctions> logger)
{
    public const int MaxNameLength = 100;

    [Function("CreateApiKey")]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "apikeys")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            var json = await RequestBody.ReadJsonObjectAsync(req, ct);
            var (name, role) = Validate(JsonInput.Deserialize<CreateApiKeyRequest>(json));
            return await idempotent.RunAsync(req, "apikeys", json.ToJsonString(), null,
                async (id, ct) =>
                {
                    var (key, secret) = await keys.CreateAsync(id, name, role, ActorScope.Current, ct);
                    logger.LogInformation("API key {ApiKeyId} made with role {Role}", key.Id, role);
                    return ApiResults.Created(req, $"/api/apikeys/{key.Id}", new CreatedApiKey(key.Id, key.Name, key.Role, key.CreatedAt, key.CreatedBy, key.LastUsedAt, secret));
                },
                // The key was shown once and only its hash is kept: a repeat cannot show it again.
                async (id, ct) => await keys.FindByIdAsync(id, ct) is null ? null : ApiResults.Problem(409, "Made already.",
                    $"This Idempotency-Key made API key {id}, whose key was shown once and is not stored: revoke it and make a new one if it was lost."),
                ct);
        });

    [Function("ListApiKeys")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "apikeys")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            return ApiResults.Json(await keys.ListAsync(pageSize, token, ct));
        });

    [Function("RevokeApiKey")]
    public Task<IActionResult> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "apikeys/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            if (!await keys.RevokeAsync(id, ct))
            {
                throw new NotFoundException("API key", id);
            }
            logger.LogInformation("API key {ApiKeyId} revoked", id);
            return new NoContentResult();
        });

    private static (string Name, Role Role) Validate(CreateApiKeyRequest body)
    {
        var errors = new ValidationErrors();
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add("name", "This field is required: a name that says which machine holds the key.");
        }
        else if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            errors.Add("name", $"At most {MaxNameLength} characters, without control characters.");
        }
        var role = Roles.Parse(body.Role);
        if (role is null)
        {
            errors.Add("role", $"One of {string.Join(", ", Roles.Names)}.");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
        return (name!, role!.Value);
    }
}
