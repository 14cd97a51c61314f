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
