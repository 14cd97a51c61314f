using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.OpenApi;
using LeadFunctions.Infrastructure;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>The Leads routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class LeadsApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/leads", "createLead", OpenApiTags.Leads, "Create a lead or an opportunity with any field.",
            new Answer(201, "Created.", "Lead", "Location", "ETag"))
        { Role = Role.Sales, Request = new Body("LeadInput"), RequestHeaders = ["Idempotency-Key"], Errors = [409, 422] },
        new("get", "/leads", "listLeads", OpenApiTags.Leads, "Page through records; merged ones only with status=merged. "
            + "One filter (or none) gives full pages, never an empty page with a continuationToken. Filters combined read at most "
            + "Leads:ListPageReadLimit rows a page (1,000 by default), so a page may be short, even empty, and still have a "
            + "continuationToken: follow it until an answer has none.",
            new Answer(200, "A page of records; a continuationToken means the list goes on, whatever the page holds.", "LeadPage"))
        { Role = Role.Sales, Paged = true, Query = ["type", "status", "teamId", "userId", "email"] },
        new("get", "/leads/{id}", "getLead", OpenApiTags.Leads, "One record, tombstones included (they name mergedInto).",
            new Answer(200, "The record.", "Lead", "ETag"))
        { Role = Role.Sales },
        new("patch", "/leads/{id}", "patchLead", OpenApiTags.Leads, "Change fields (JSON merge patch: null clears a field). If-Match makes it conditional.",
            new Answer(200, "The changed record.", "Lead", "ETag"),
            new Answer(409, "The record is merged or being merged.", "Problem"),
            new Answer(412, "The record changed since the If-Match version.", "Problem"))
        { Role = Role.Sales, Request = new Body("LeadInput", MergePatch: true), RequestHeaders = ["If-Match"] },
        new("post", "/leads/{id}/lose", "loseLead", OpenApiTags.Leads, "Mark lost, with an optional reason.",
            new Answer(200, "The lost record.", "Lead", "ETag"),
            new Answer(409, "Not active, or merged.", "Problem"))
        { Role = Role.Sales, Request = new Body("LoseRequest", Required: false) },
        new("post", "/leads/{id}/win", "winLead", OpenApiTags.Leads, "Mark an active opportunity won.",
            new Answer(200, "The won record.", "Lead", "ETag"),
            new Answer(409, "Not an active opportunity, or merged.", "Problem"))
        { Role = Role.Sales },
        new("post", "/leads/{id}/restore", "restoreLead", OpenApiTags.Leads, "Make a won or lost record active again.",
            new Answer(200, "The active record.", "Lead", "ETag"),
            new Answer(409, "Already active, or merged.", "Problem"))
        { Role = Role.Sales },
        new("get", "/leads/{id}/log", "getLeadLog", OpenApiTags.Leads, "The record's history, newest first.",
            new Answer(200, "A page of log entries.", "LogEntryPage"))
        { Role = Role.Sales, Paged = true },
        new("post", "/leads/{id}/notes", "addLeadNote", OpenApiTags.Leads, "Add a note to the record's history.",
            new Answer(201, "The note's log entry.", "LogEntry", "Location"),
            new Answer(409, "The record is merged, or a request with this Idempotency-Key is still in progress (try again).", "Problem"))
        { Role = Role.Sales, Request = new Body("NoteRequest"), RequestHeaders = ["Idempotency-Key"], Errors = [409, 422] },
        new("get", "/leads/{id}/similar", "listSimilar", OpenApiTags.Similar, "The records similar to this one, each with the rules it matched on, its score and the reasons.",
            new Answer(200, "The similar records.", "SimilarList"))
        { Role = Role.Sales },
        new("post", "/leads/{id}/similar/{otherId}/dismiss", "dismissSimilar", OpenApiTags.Similar, "Mark the pair \"not a duplicate\": it no longer counts for either record.",
            new Answer(204, "Dismissed."),
            new Answer(409, "One of the records is merged.", "Problem"))
        { Role = Role.Sales },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(Lead), "Lead", "A lead or an opportunity (SPEC 3).")
            .Add(typeof(Touch), "Touch", "A record's attribution kept by a merge: the record (it may be a tombstone now), its source, medium and campaign, and at: its createdAt.")
            .Add(typeof(DuplicateCheck), "DuplicateCheck", "The background duplicate check: done means similarCount and similarIds agree with /similar at checkedAt; failed means it kept failing (reason says why, null otherwise), and the record is listed all the same.")
            .Add(typeof(LeadInput), "LeadInput", "The writable fields of a record. Status changes only through lose and restore.", required: [])
            .Add(typeof(Page<Lead>), "LeadPage", "A page of records.")
            .Add(typeof(SimilarRecord), "SimilarRecord", "A similar record, with the rules it matched on, the pair's score and the reasons for it in words.")
            .Add(typeof(SimilarList), "SimilarList", "The similar records of a record.")
            .Add(typeof(LogEntry), "LogEntry", "An entry of a record's history; actor is who made the change (null only on entries written before actors were recorded).")
            .Add(typeof(Domain.Access.Actor), "Actor", "Who made a change (SPEC 10): a signed-in person (the salesperson's id and name), an API key (its id and name), a web form visitor (no id), or LeadFunctions itself (system: checks, sweeps, recoveries; no id).")
            .Add(typeof(Page<LogEntry>), "LogEntryPage", "A page of a record's history, newest first.")
            .Add(typeof(LoseRequest), "LoseRequest", "Why the record is lost.", required: [])
            .Add(typeof(NoteRequest), "NoteRequest", "A note for the record's history.", required: ["message"]);
    }
}
