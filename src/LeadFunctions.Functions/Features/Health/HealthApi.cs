using LeadFunctions.Domain.Capture;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Conversion;
using LeadFunctions.Functions.Features.Erasure;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Functions.Http;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Health;

/// <summary>The Health routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class HealthApi
{
    public static Operation[] Operations { get; } =
    [
        new("get", "/health", "getHealth", OpenApiTags.Platform, "Liveness and storage reachability.",
            new Answer(200, "Healthy.", "HealthReport"),
            new Answer(503, "Storage (the parts named) cannot be reached.", "HealthReport"))
        { Public = true },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(HealthReport), "HealthReport", "Liveness and which parts of storage can be reached.");
    }
}
