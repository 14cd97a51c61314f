using LeadFunctions.Domain.Access;
using LeadFunctions.Functions.Features.Access;
using LeadFunctions.Functions.Features.ApiKeys;
using LeadFunctions.Functions.Features.Capture;
using LeadFunctions.Functions.Features.Console;
using LeadFunctions.Functions.Features.Conversion;
using LeadFunctions.Functions.Features.Directory;
using LeadFunctions.Functions.Features.Erasure;
using LeadFunctions.Functions.Features.Health;
using LeadFunctions.Functions.Features.Imports;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Functions.Features.Routing;
using LeadFunctions.Functions.Features.Webhooks;

namespace LeadFunctions.Functions.OpenApi;

/// <summary>A body an operation reads: a component schema, as JSON (for capture also as a form; for an import, a CSV or JSON lines file instead).</summary>
internal sealed record Body(string Schema, bool Required = true, bool AlsoForm = false, bool MergePatch = false, bool File = false);

/// <summary>An answer an operation gives on purpose; errors every operation shares are added by the document.</summary>
internal sealed record Answer(int Status, string Description, string? Schema = null, params string[] Headers)
{
    /// <summary>The headers every served file answers with.</summary>
    public static readonly string[] FileHeaders = ["ETag", "Content-Security-Policy"];

    /// <summary>For a file rather than JSON: its media types (the body is the file's text).</summary>
    public string[] Media { get; init; } = [];
}

/// <summary>One route and method of SPEC 5.</summary>
internal sealed record Operation(string Method, string Path, string Id, string Tag, string Summary, params Answer[] Answers)
{
    /// <summary>Needs no credential (capture, the scripts and pages, health, this document); such an operation names no role.</summary>
    public bool Public { get; init; }

    /// <summary>
    /// The least role a caller needs (SPEC 10). Every other operation must name one: the document
    /// refuses to build without it, so that no route is described as open by omission.
    /// </summary>
    public Role? Role { get; init; }
    public Body? Request { get; init; }
    public string[] Query { get; init; } = [];
    public string[] RequestHeaders { get; init; } = [];
    public bool Paged { get; init; }
    public int[] Errors { get; init; } = [];
}

/// <summary>The document's tags: one per group of routes.</summary>
internal static class OpenApiTags
{
    public const string Leads = "Leads";
    public const string Similar = "Similar records";
    public const string Conversion = "Conversion";
    public const string Merges = "Merges";
    public const string Directory = "Teams, salespeople, customers and settings";
    public const string Platform = "Capture and platform";
    public const string Imports = "Imports";
    public const string Webhooks = "Webhooks";
    public const string Erasures = "Erasure";
    public const string Console = "Sales console";
    public const string Access = "Sign-in and API keys";
}

/// <summary>Every route the functions have (a test keeps the two equal): each feature declares its own, beside its functions.</summary>
internal static class OpenApiOperations
{
    // Before All: static initializers run in the order they are written.
    private static Operation[] Own { get; } =
    [
        new("get", "/openapi.json", "getOpenApi", OpenApiTags.Platform, "This document.",
            new Answer(200, "The OpenAPI 3.1 description of the API."))
        { Public = true },
    ];

    public static Operation[] All { get; } =
    [
        .. CaptureApi.Operations,
        .. LeadsApi.Operations,
        .. ConversionApi.Operations,
        .. MergesApi.Operations,
        .. ImportsApi.Operations,
        .. WebhooksApi.Operations,
        .. ErasureApi.Operations,
        .. DirectoryApi.Operations,
        .. HealthApi.Operations,
        .. ConsoleApi.Operations,
        .. AccessApi.Operations,
        .. ApiKeysApi.Operations,
        .. RoutingApi.Operations,
        .. Own,
    ];

    /// <summary>The schemas each feature names, then those all share.</summary>
    public static void AddSchemas(OpenApiSchemas schemas)
    {
        CaptureApi.AddSchemas(schemas);
        LeadsApi.AddSchemas(schemas);
        ConversionApi.AddSchemas(schemas);
        MergesApi.AddSchemas(schemas);
        ImportsApi.AddSchemas(schemas);
        WebhooksApi.AddSchemas(schemas);
        ErasureApi.AddSchemas(schemas);
        DirectoryApi.AddSchemas(schemas);
        HealthApi.AddSchemas(schemas);
        AccessApi.AddSchemas(schemas);
        ApiKeysApi.AddSchemas(schemas);
        RoutingApi.AddSchemas(schemas);
    }
}
