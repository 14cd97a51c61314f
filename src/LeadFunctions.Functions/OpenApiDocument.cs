using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Capture;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Storage.Conversion;

namespace LeadFunctions.Functions;

/// <summary>
/// The OpenAPI 3 description of the API. Schemas are generated from the very types the API
/// serializes, with the API's JSON options; a test checks that every function's route is here.
/// </summary>
public static class OpenApiDocument
{
    private sealed record Operation(string Method, string Path, string Summary, bool Public = false,
        string? Body = null, string Response = "200", string? ResponseSchema = null, bool Paged = false, string[]? QueryNames = null);

    private static readonly Operation[] Operations =
    [
        new("post", "/capture", "Capture a lead from a web form (JSON or form-encoded); 202 {id, status}.", Public: true, Body: nameof(CaptureInput), Response: "202"),
        new("options", "/capture", "CORS preflight for the allowed origins.", Public: true, Response: "204"),
        new("post", "/leads", "Create a lead or an opportunity.", Body: nameof(LeadInput), Response: "201", ResponseSchema: nameof(Lead)),
        new("get", "/leads", "Page through records (merged ones only with status=merged).", ResponseSchema: nameof(Lead), Paged: true,
            QueryNames: ["type", "status", "teamId", "userId", "email"]),
        new("get", "/leads/{id}", "One record, tombstones included.", ResponseSchema: nameof(Lead)),
        new("patch", "/leads/{id}", "Change fields (JSON merge patch; If-Match honoured).", Body: nameof(LeadInput), ResponseSchema: nameof(Lead)),
        new("post", "/leads/{id}/lose", "Mark lost, with an optional reason {reason}.", ResponseSchema: nameof(Lead)),
        new("post", "/leads/{id}/restore", "Make a lost record active again.", ResponseSchema: nameof(Lead)),
        new("get", "/leads/{id}/similar", "Similar records {count, items}.", ResponseSchema: nameof(SimilarRecord)),
        new("post", "/leads/{id}/similar/{otherId}/dismiss", "Mark the pair \"not a duplicate\".", Response: "204"),
        new("get", "/leads/{id}/log", "The record's history, newest first.", ResponseSchema: nameof(LogEntry), Paged: true),
        new("post", "/leads/{id}/notes", "Add a note {message}.", Response: "201", ResponseSchema: nameof(LogEntry)),
        new("get", "/leads/{id}/conversion", "Conversion defaults {action, duplicates, customer: {mode, customerId?}, userId, teamId}.",
            ResponseSchema: nameof(ConversionProposal)),
        new("post", "/leads/{id}/convert", "Convert {action?, mergeWith?, customer?: {mode, customerId?}, userId?, teamId?} → {lead, customer, mergeId}.",
            Body: nameof(ConvertRequest)),
        new("post", "/conversions", "Bulk conversion {leadIds, userIds?, teamId?, forceAssignment?, deduplicate?, customerMode?} → {results}.",
            Body: nameof(BulkConvertRequest)),
        new("post", "/merges", "Merge 2 to 10 records {leadIds, survivorId?, fieldSources?, userId?, teamId?, dryRun?}; 201 {mergeId, survivorId, mergedIds, lead}, a dry run 200 {survivorId, mergedIds, lead, sources}.",
            Response: "201"),
        new("get", "/merges/{mergeId}", "A merge's record.", ResponseSchema: nameof(MergeRecord)),
        new("post", "/merges/{mergeId}/undo", "Undo a merge {force?}.", ResponseSchema: nameof(MergeRecord)),
        new("get", "/settings", "The global settings.", ResponseSchema: nameof(Settings)),
        new("put", "/settings", "Replace the global settings.", Body: nameof(Settings), ResponseSchema: nameof(Settings)),
        new("post", "/teams", "Create a sales team.", Body: nameof(Team), Response: "201", ResponseSchema: nameof(Team)),
        new("get", "/teams", "Page through teams.", ResponseSchema: nameof(Team), Paged: true),
        new("get", "/teams/{id}", "One team.", ResponseSchema: nameof(Team)),
        new("patch", "/teams/{id}", "Change a team (JSON merge patch).", Body: nameof(Team), ResponseSchema: nameof(Team)),
        new("post", "/salespeople", "Create a salesperson.", Body: nameof(Salesperson), Response: "201", ResponseSchema: nameof(Salesperson)),
        new("get", "/salespeople", "Page through salespeople.", ResponseSchema: nameof(Salesperson), Paged: true),
        new("get", "/salespeople/{id}", "One salesperson.", ResponseSchema: nameof(Salesperson)),
        new("patch", "/salespeople/{id}", "Change a salesperson (JSON merge patch).", Body: nameof(Salesperson), ResponseSchema: nameof(Salesperson)),
        new("post", "/customers", "Create a customer (company or person).", Body: nameof(Customer), Response: "201", ResponseSchema: nameof(Customer)),
        new("get", "/customers", "Page through customers, or those with ?email=.", ResponseSchema: nameof(Customer), Paged: true, QueryNames: ["email"]),
        new("get", "/customers/{id}", "One customer.", ResponseSchema: nameof(Customer)),
        new("get", "/health", "Liveness and storage reachability.", Public: true),
        new("get", "/openapi.json", "This document.", Public: true),
    ];

    private static readonly Lazy<string> Json = new(() => Build().ToJsonString());

    public static string Text => Json.Value;

    /// <summary>(method, path) of every operation, for the test that keeps this in step with the functions.</summary>
    public static IEnumerable<(string Method, string Path)> Routes => Operations.Select(o => (o.Method, o.Path));

    private static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var group in Operations.GroupBy(o => o.Path))
        {
            var item = new JsonObject();
            foreach (var op in group)
            {
                item[op.Method] = OperationNode(op);
            }
            paths[group.Key] = item;
        }
        var schemas = new JsonObject();
        foreach (var type in new[] { typeof(Lead), typeof(LeadInput), typeof(CaptureInput), typeof(SimilarRecord), typeof(LogEntry), typeof(Team), typeof(Salesperson), typeof(Customer), typeof(Settings), typeof(MergeRecord), typeof(ConversionProposal), typeof(ConvertRequest), typeof(BulkConvertRequest) })
        {
            schemas[type.Name] = JsonDefaults.Options.GetJsonSchemaAsNode(type);
        }
        schemas["Problem"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "RFC 9457 problem details.",
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string" },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["status"] = new JsonObject { ["type"] = "integer" },
                ["detail"] = new JsonObject { ["type"] = "string" },
                ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } },
            },
        };
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "LeadFunctions",
                ["version"] = "1.0",
                ["description"] = "Lead capture, duplicate detection, conversion and merge. Every route except capture, health and this document needs a function key.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/api" }),
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                    ["functionKeyQuery"] = new JsonObject { ["type"] = "apiKey", ["in"] = "query", ["name"] = "code" },
                },
            },
            ["paths"] = paths,
        };
    }

    private static JsonObject OperationNode(Operation op)
    {
        var parameters = new JsonArray();
        foreach (var name in op.Path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            parameters.Add(Parameter(name, "path", required: true));
        }
        foreach (var name in (op.QueryNames ?? []).Concat(op.Paged ? ["pageSize", "continuationToken"] : []))
        {
            parameters.Add(Parameter(name, "query", required: false));
        }
        var node = new JsonObject
        {
            ["summary"] = op.Summary,
            ["operationId"] = op.Method + string.Concat(op.Path.Split('/', '.', '{', '}').Where(s => s.Length > 0).Select(s => char.ToUpperInvariant(s[0]) + s[1..])),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                [op.Response] = Response(op),
                ["4XX"] = new JsonObject
                {
                    ["description"] = "A problem (RFC 9457).",
                    ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = Ref("Problem") } },
                },
            },
        };
        if (op.Body is { } body)
        {
            node["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(body) } },
            };
        }
        node["security"] = op.Public
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }, new JsonObject { ["functionKeyQuery"] = new JsonArray() });
        return node;
    }

    private static JsonObject Response(Operation op)
    {
        var response = new JsonObject { ["description"] = op.Summary };
        if (op.ResponseSchema is { } schema)
        {
            JsonNode content = op.Paged
                ? new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["items"] = new JsonObject { ["type"] = "array", ["items"] = Ref(schema) }, ["continuationToken"] = new JsonObject { ["type"] = "string", ["nullable"] = true } },
                }
                : Ref(schema);
            response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = content } };
        }
        return response;
    }

    private static JsonObject Parameter(string name, string where, bool required) => new()
    {
        ["name"] = name,
        ["in"] = where,
        ["required"] = required,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };
}
