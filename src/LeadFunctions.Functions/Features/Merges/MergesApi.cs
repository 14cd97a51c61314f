using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>The Merges routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class MergesApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/merges", "createMerge", OpenApiTags.Merges, "Merge 2 to 10 records into the survivor (the first created active one unless named); dryRun shows the result and each field's source without changing anything.",
            new Answer(200, "Dry run: what the merge would make, and each field's source (no mergeId).", "MergeResult"),
            new Answer(201, "Merged (no sources).", "MergeResult", "Location"),
            new Answer(409, "A record is merged, being merged, or changed during the merge: nothing was merged.", "Problem"))
        { Role = Role.Sales, Request = new Body("MergeRequest") },
        new("get", "/merges/{mergeId}", "getMerge", OpenApiTags.Merges, "A merge's record and state.",
            new Answer(200, "The merge.", "MergeRecord"))
        { Role = Role.Sales },
        new("post", "/merges/{mergeId}/undo", "undoMerge", OpenApiTags.Merges, "Undo a merge; force keeps (and logs) changes made to the survivor since. "
            + "With the sales role a caller undoes only the merges it made itself (the same person or API key); a manager undoes any.",
            new Answer(200, "The undone merge.", "MergeRecord"),
            new Answer(403, "The caller's role is too low, or it has the sales role and did not make this merge (a manager may undo it).", "Problem"),
            new Answer(409, "The survivor changed since the merge (send force), or the merge is not applied.", "Problem"))
        { Role = Role.Sales, Request = new Body("UndoRequest", Required: false) },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(MergeRequest), "MergeRequest", "2 to 10 records to merge, and optional choices.", required: ["leadIds"])
            .Add(typeof(MergeResult), "MergeResult", "A merge done (with mergeId), or a dry run (with sources: for each field, the record its value comes from).")
            .Add(typeof(MergeRecord), "MergeRecord", "A merge's record (GET /merges/{mergeId}).")
            .Add(typeof(UndoRequest), "UndoRequest", "force: undo even though the survivor changed since (the changes are kept and logged).", required: []);
    }
}
