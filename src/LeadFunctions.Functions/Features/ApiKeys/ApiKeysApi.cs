using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;
using LeadFunctions.Functions.OpenApi;
using LeadFunctions.Infrastructure;

namespace LeadFunctions.Functions.Features.ApiKeys;

/// <summary>The API key routes in the OpenAPI document (SPEC 10): what each reads and answers, and the schemas they name.</summary>
internal static class ApiKeysApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/apikeys", "createApiKey", OpenApiTags.Access,
            "Make an API key for a machine. An integration or a script gets a key with a name and a role; the answer shows the key (lf_…) once: only a keyed hash of it is stored, so it can never be shown again. Send it as x-api-key or Authorization: Bearer.",
            new Answer(201, "Made, with the key itself.", "CreatedApiKey", "Location"),
            new Answer(409, "This Idempotency-Key made a key already (it is not shown again), or its first request is still running.", "Problem"))
        { Role = Role.Admin, Request = new Body("CreateApiKeyRequest"), RequestHeaders = ["Idempotency-Key"], Errors = [422] },
        new("get", "/apikeys", "listApiKeys", OpenApiTags.Access, "Page through the API keys. Each with its name, role, who made it and when, and when it was last used (to within 5 minutes); never the key itself.",
            new Answer(200, "A page of API keys.", "ApiKeyPage"))
        { Role = Role.Admin, Paged = true },
        new("delete", "/apikeys/{id}", "revokeApiKey", OpenApiTags.Access, "Revoke an API key: the next request with it is refused (401).",
            new Answer(204, "Revoked."))
        { Role = Role.Admin },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(ApiKey), "ApiKey", "An API key's record: never the key itself.", required: ["id", "name", "role", "createdAt", "createdBy"])
            .Add(typeof(Page<ApiKey>), "ApiKeyPage", "A page of API keys.")
            .Add(typeof(CreatedApiKey), "CreatedApiKey", "A key just made: its record and the key (lf_…), shown only in this answer.", required: ["id", "name", "role", "createdAt", "createdBy", "key"]);
        // By hand: the contract reads the role as text so that a wrong one is a 400 naming the field,
        // while callers should see the three names it takes.
        schemas.AddRaw("CreateApiKeyRequest", new JsonObject
        {
            ["type"] = "object",
            ["description"] = "A new API key: a name people recognise and the role it acts with.",
            ["properties"] = new JsonObject
            {
                ["name"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 100, ["description"] = "What the key is for (1 to 100 characters)." },
                ["role"] = OpenApiSchemas.Ref("Role"),
            },
            ["required"] = new JsonArray("name", "role"),
        });
    }
}
