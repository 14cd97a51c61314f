using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Functions.OpenApi;

/// <summary>
/// The OpenAPI 3.1 description of the API (SPEC 5), served at /api/openapi.json: the operations of
/// <see cref="OpenApiOperations"/>, the errors each can answer, and schemas generated from the types.
/// </summary>
public static class OpenApiDocument
{
    private static readonly Lazy<string> Json = new(() => Build().ToJsonString());

    public static string Text => Json.Value;

    /// <summary>(method, path) of every operation, for the test that keeps this in step with the functions.</summary>
    public static IEnumerable<(string Method, string Path)> Routes => OpenApiOperations.All.Select(o => (o.Method, o.Path));

    private static readonly Dictionary<string, (string Description, JsonObject Schema)> Headers = new()
    {
        ["ETag"] = ("The record's (or file's) version; send it back in If-Match (for a file, If-None-Match).", new JsonObject { ["type"] = "string" }),
        ["Content-Security-Policy"] = ("What the page may load and run.", new JsonObject { ["type"] = "string" }),
        ["Location"] = ("Where the new resource (or the redirect target) is.", new JsonObject { ["type"] = "string" }),
        ["Retry-After"] = ("Seconds to wait before trying again.", new JsonObject { ["type"] = "integer", ["minimum"] = 0 }),
        ["Access-Control-Allow-Origin"] = ("The allowed origin that asked.", new JsonObject { ["type"] = "string" }),
        ["Access-Control-Allow-Methods"] = ("The methods a page may use.", new JsonObject { ["type"] = "string" }),
        ["Access-Control-Allow-Headers"] = ("The headers a page may send.", new JsonObject { ["type"] = "string" }),
    };

    private static readonly Dictionary<int, string> CommonErrors = new()
    {
        [400] = "The request is not valid: see errors for each field, or detail for a malformed body.",
        [404] = "No such record.",
        [409] = "A request with this Idempotency-Key is still in progress: try again shortly.",
        [413] = "The body is too large.",
        [415] = "The body is not application/json in UTF-8 (or, for capture, a form; for an import, text/csv or application/x-ndjson).",
        [422] = "The Idempotency-Key was used for a different request to this route: use a new key for a new request.",
    };

    private static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var group in OpenApiOperations.All.GroupBy(o => o.Path))
        {
            var item = new JsonObject();
            var pathParameters = PathParameters(group.Key);
            if (pathParameters.Count > 0)
            {
                item["parameters"] = pathParameters;
            }
            foreach (var operation in group)
            {
                item[operation.Method] = OperationNode(operation);
            }
            paths[group.Key] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "LeadFunctions",
                ["version"] = "1.0.0",
                ["summary"] = "Lead capture, duplicate detection, conversion and merge.",
                ["description"] = "Web forms post to capture; every lead is checked for similar records in the background; sales tools list, convert and merge. "
                    + OpenApiSecurity.Summary + " Errors are RFC 9457 problem details.",
                ["license"] = new JsonObject { ["name"] = "Proprietary", ["identifier"] = "LicenseRef-Proprietary" },
                ["contact"] = new JsonObject { ["name"] = "LeadFunctions", ["url"] = "https://github.com/leadfunctions/leadfunctions" },
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/api", ["description"] = "The function app's route prefix, on the host that serves this document." }),
            ["tags"] = new JsonArray([.. OpenApiOperations.All.Select(o => o.Tag).Distinct().Select(t => (JsonNode)new JsonObject { ["name"] = t, ["description"] = t })]),
            ["security"] = OpenApiSecurity.Requirements(),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = Schemas(),
                ["parameters"] = Parameters(),
                ["securitySchemes"] = OpenApiSecurity.Schemes(),
            },
        };
    }

    private static JsonObject OperationNode(Operation operation)
    {
        // A protected route without a role would be described (and, by the enforcement's test, held) as open to anyone.
        if (operation.Public == (operation.Role is not null))
        {
            throw new InvalidOperationException(operation.Public
                ? $"{operation.Method} {operation.Path} ({operation.Id}) is public and names a role: a public operation needs no credential."
                : $"{operation.Method} {operation.Path} ({operation.Id}) names no role: give it the least role that may call it (SPEC 10).");
        }
        var node = new JsonObject
        {
            ["operationId"] = operation.Id,
            ["tags"] = new JsonArray(operation.Tag),
            ["summary"] = operation.Summary.Split(". ")[0].TrimEnd('.'),
            ["description"] = operation.Role is { } role ? $"{operation.Summary} {OpenApiSecurity.Needs(role)}" : operation.Summary,
        };
        if (operation.Role is { } required)
        {
            node[OpenApiSecurity.RoleExtension] = required.Name();
        }

        var parameters = new JsonArray();
        foreach (var name in operation.Query.Concat(operation.Paged ? ["pageSize", "continuationToken"] : []))
        {
            parameters.Add(ParameterRef(name));
        }
        foreach (var header in operation.RequestHeaders)
        {
            parameters.Add(ParameterRef(header));
        }
        if (parameters.Count > 0)
        {
            node["parameters"] = parameters;
        }

        if (operation.Request is { } body)
        {
            var content = body.File
                ? new JsonObject
                {
                    ["text/csv"] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(body.Schema) },
                    ["application/x-ndjson"] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(body.Schema) },
                }
                : new JsonObject { ["application/json"] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(body.Schema) } };
            if (body.MergePatch)
            {
                content["application/merge-patch+json"] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(body.Schema) };
            }
            if (body.AlsoForm)
            {
                content["application/x-www-form-urlencoded"] = new JsonObject
                {
                    ["schema"] = OpenApiSchemas.Ref(body.Schema),
                    ["encoding"] = new JsonObject { ["tags"] = new JsonObject { ["style"] = "form", ["explode"] = true } },
                };
            }
            node["requestBody"] = new JsonObject { ["required"] = body.Required, ["content"] = content };
        }

        var responses = new JsonObject();
        var errors = new SortedSet<int>(operation.Errors);
        if (operation.Request is not null || operation.Query.Length > 0 || operation.Paged || operation.Path.Contains('{', StringComparison.Ordinal))
        {
            errors.Add(400);
        }
        if (!operation.Public)
        {
            errors.Add(401);
            errors.Add(403);
        }
        if (operation.Path.Contains('{', StringComparison.Ordinal))
        {
            errors.Add(404);
        }
        if (operation.Request is not null)
        {
            errors.Add(413);
            errors.Add(415);
        }
        foreach (var answer in operation.Answers.Concat(errors.Where(e => operation.Answers.All(a => a.Status != e)).Select(e => new Answer(e, ErrorDescription(e, operation), "Problem"))).OrderBy(a => a.Status))
        {
            responses[answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Response(answer, operation);
        }
        node["responses"] = responses;

        node["security"] = operation.Public ? new JsonArray(new JsonObject()) : OpenApiSecurity.Requirements();
        return node;
    }

    private static string ErrorDescription(int status, Operation operation) => status switch
    {
        401 => OpenApiSecurity.Unauthorized,
        403 => OpenApiSecurity.Forbidden(operation.Role!.Value),
        _ => CommonErrors[status],
    };

    private static JsonObject Response(Answer answer, Operation operation)
    {
        var response = new JsonObject { ["description"] = answer.Description };
        if (answer.Headers.Length > 0)
        {
            var headers = new JsonObject();
            foreach (var name in answer.Headers)
            {
                var (description, schema) = Headers[name];
                headers[name] = new JsonObject { ["description"] = description, ["schema"] = schema.DeepClone() };
            }
            response["headers"] = headers;
        }
        if (answer.Schema is { } schemaName)
        {
            var mediaType = schemaName == "Problem" ? "application/problem+json" : "application/json";
            response["content"] = new JsonObject { [mediaType] = new JsonObject { ["schema"] = OpenApiSchemas.Ref(schemaName) } };
        }
        else if (answer.Media.Length > 0)
        {
            var content = new JsonObject();
            foreach (var media in answer.Media)
            {
                content[media] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } };
            }
            response["content"] = content;
        }
        else if (operation.Id == "getOpenApi")
        {
            response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } };
        }
        return response;
    }

    private const string UlidPattern = "^[0-9A-HJKMNP-TV-Z]{26}$";

    private static JsonArray PathParameters(string path)
    {
        var parameters = new JsonArray();
        foreach (var name in path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            var (description, pattern) = name switch
            {
                "asset" => ("The file's name.", "^[a-z0-9-]+\\.(js|css)$"),
                "mergeId" => ("A merge's id.", UlidPattern),
                _ => ("A record's id.", UlidPattern),
            };
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["description"] = description,
                ["schema"] = new JsonObject { ["type"] = "string", ["pattern"] = pattern },
            });
        }
        return parameters;
    }

    private static JsonObject ParameterRef(string name) => new() { ["$ref"] = $"#/components/parameters/{ParameterKey(name)}" };

    private static string ParameterKey(string name) => name.Replace("-", "", StringComparison.Ordinal);

    private static JsonObject Parameters()
    {
        static JsonObject Query(string name, string description, JsonObject schema) =>
            new() { ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = description, ["schema"] = schema };
        static JsonObject Header(string name, string description) =>
            new() { ["name"] = name, ["in"] = "header", ["required"] = false, ["description"] = description, ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 200 } };
        static JsonObject Enum<T>() where T : struct, Enum =>
            new() { ["type"] = "string", ["enum"] = new JsonArray([.. System.Enum.GetValues<T>().Select(v => JsonValue.Create(LeadRows.Wire(v)))]) };
        var id = new JsonObject { ["type"] = "string", ["pattern"] = UlidPattern };
        return new JsonObject
        {
            ["type"] = Query("type", "Only leads or only opportunities.", Enum<LeadType>()),
            ["status"] = Query("status", "Only records in this status (merged ones appear only when asked).", Enum<LeadStatus>()),
            ["teamId"] = Query("teamId", "Only the team's records.", id.DeepClone().AsObject()),
            ["userId"] = Query("userId", "Only the salesperson's records.", id.DeepClone().AsObject()),
            ["email"] = Query("email", "Only records (or customers) with this email, compared normalized.", new JsonObject { ["type"] = "string", ["maxLength"] = 320 }),
            ["pageSize"] = Query("pageSize", "Records per page.", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 200, ["default"] = 50 }),
            ["continuationToken"] = Query("continuationToken", "The token of the previous page, for the next one.", new JsonObject { ["type"] = "string" }),
            ["IfMatch"] = Header("If-Match", "Change only if the record is still at this version (its ETag); 412 otherwise."),
            ["IdempotencyKey"] = Header("Idempotency-Key", "A key per request, at most 200 characters without control characters, kept a day (Retention:IdempotencyKeys): a repeat with the same key and body answers what the first request made, as it is now, and makes nothing new (for capture, the first lead's id; for an import, the first import)."),
        };
    }

    private static JsonObject Schemas()
    {
        var schemas = new OpenApiSchemas();
        OpenApiOperations.AddSchemas(schemas);
        schemas.AddRaw("Problem", new JsonObject
        {
            ["type"] = "object",
            ["description"] = "RFC 9457 problem details.",
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string" },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["status"] = new JsonObject { ["type"] = "integer" },
                ["detail"] = new JsonObject { ["type"] = "string" },
                ["errors"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "For validation errors: the messages of each field.",
                    ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                },
                ["mergedInto"] = new JsonObject { ["type"] = "string", ["description"] = "For a merged record: the record it was merged into." },
            },
            ["required"] = new JsonArray("title", "status"),
        });
        return schemas.Build();
    }
}
