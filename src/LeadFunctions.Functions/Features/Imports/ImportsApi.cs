using LeadFunctions.Domain.Access;
using System.Text.Json.Nodes;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Imports;

/// <summary>The Imports routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class ImportsApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/imports", "startImport", OpenApiTags.Imports,
            "Import up to 10,000 rows (10 MiB) of CSV (a header row of lead field names; tags separated by ;) or JSON lines. Each row is validated as POST /leads, stored with an imported log entry and checked for duplicates; the same file (or Idempotency-Key) again stores nothing twice.",
            new Answer(202, "Started (or the import this file or key started before): follow it at Location.", "ImportRecord", "Location"),
            new Answer(413, "The file is larger than 10 MiB.", "Problem"))
        { Role = Role.Manager, Request = new Body("ImportFile", File: true), RequestHeaders = ["Idempotency-Key"] },
        new("get", "/imports/{id}", "getImport", OpenApiTags.Imports, "An import's progress and the rows it refused, with their lines.",
            new Answer(200, "The import.", "ImportRecord"))
        { Role = Role.Manager },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(ImportRecord), "ImportRecord", "An import: its status, its counts, and the rows it refused (the first 1,000, in line order).")
            .Add(typeof(ImportCounts), "ImportCounts", "Rows in the file, and how many were stored, refused, checked and flagged so far.")
            .Add(typeof(ImportRowError), "ImportRowError", "A refused row: its line in the file (a CSV's header is line 1), and why, per field.");
        schemas.AddRaw("ImportFile", new JsonObject
        {
            ["type"] = "string",
            ["description"] = "A CSV file with a header row of lead field names (as in LeadInput; tags separated by ;), or JSON lines: one LeadInput object per line. UTF-8.",
        });
    }
}
