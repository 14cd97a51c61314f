namespace LeadFunctions.Functions.OpenApi;

/// <summary>A body an operation reads: a component schema, as JSON (for capture also as a form; for an import, a CSV or JSON lines file instead).</summary>
internal sealed record Body(string Schema, bool Required = true, bool AlsoForm = false, bool MergePatch = false, bool File = false);

/// <summary>An answer an operation gives on purpose; errors every operation shares are added by the document.</summary>
internal sealed record Answer(int Status, string Description, string? Schema = null, params string[] Headers)
{
    /// <summary>For a file rather than JSON: its media types (the body is the file's text).</summary>
    public string[] Media { get; init; } = [];
}

/// <summary>One route and method of SPEC 5.</summary>
internal sealed record Operation(string Method, string Path, string Id, string Tag, string Summary, params Answer[] Answers)
{
    public bool Public { get; init; }
    public Body? Request { get; init; }
    public string[] Query { get; init; } = [];
    public string[] RequestHeaders { get; init; } = [];
    public bool Paged { get; init; }
    public int[] Errors { get; init; } = [];
}

/// <summary>The catalogue: every route the functions have (a test keeps the two equal), with what each reads and answers.</summary>
internal static class OpenApiOperations
{
    private const string Leads = "Leads";
    private const string Similar = "Similar records";
    private const string Conversion = "Conversion";
    private const string Merges = "Merges";
    private const string Directory = "Teams, salespeople, customers and settings";
    private const string Platform = "Capture and platform";
    private const string Imports = "Imports";
    private const string Webhooks = "Webhooks";
    private const string Erasures = "Erasure";
    private const string Console = "Sales console";
    private static readonly string[] FileHeaders = ["ETag", "Content-Security-Policy"];

    public static Operation[] All { get; } =
    [
        new("post", "/capture", "capture", Platform,
            "Capture a lead from a web form (JSON or form-encoded). Answers as soon as the lead is stored; a repeat answers the first lead's id.",
            new Answer(202, "Stored (or a repeat of a stored lead).", "CaptureReceipt", "Access-Control-Allow-Origin"),
            new Answer(303, "A form post with _redirect on an allowed origin is sent back there.", null, "Location"),
            new Answer(403, "The Origin is not allowed.", "Problem"),
            new Answer(429, "Over the client's rate limit.", "Problem", "Retry-After"))
        { Public = true, Request = new Body("CaptureInput", AlsoForm: true), RequestHeaders = ["Idempotency-Key"] },
        new("options", "/capture", "capturePreflight", Platform, "CORS preflight for the allowed origins.",
            new Answer(204, "Allowed; the CORS headers say what.", null, "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"),
            new Answer(403, "The Origin is not allowed.", "Problem"))
        { Public = true },

        new("post", "/leads", "createLead", Leads, "Create a lead or an opportunity with any field.",
            new Answer(201, "Created.", "Lead", "Location", "ETag"))
        { Request = new Body("LeadInput") },
        new("get", "/leads", "listLeads", Leads, "Page through records; merged ones only with status=merged.",
            new Answer(200, "A page of records.", "LeadPage"))
        { Paged = true, Query = ["type", "status", "teamId", "userId", "email"] },
        new("get", "/leads/{id}", "getLead", Leads, "One record, tombstones included (they name mergedInto).",
            new Answer(200, "The record.", "Lead", "ETag")),
        new("patch", "/leads/{id}", "patchLead", Leads, "Change fields (JSON merge patch: null clears a field). If-Match makes it conditional.",
            new Answer(200, "The changed record.", "Lead", "ETag"),
            new Answer(409, "The record is merged or being merged.", "Problem"),
            new Answer(412, "The record changed since the If-Match version.", "Problem"))
        { Request = new Body("LeadInput", MergePatch: true), RequestHeaders = ["If-Match"] },
        new("post", "/leads/{id}/lose", "loseLead", Leads, "Mark lost, with an optional reason.",
            new Answer(200, "The lost record.", "Lead", "ETag"),
            new Answer(409, "Not active, or merged.", "Problem"))
        { Request = new Body("LoseRequest", Required: false) },
        new("post", "/leads/{id}/win", "winLead", Leads, "Mark an active opportunity won.",
            new Answer(200, "The won record.", "Lead", "ETag"),
            new Answer(409, "Not an active opportunity, or merged.", "Problem")),
        new("post", "/leads/{id}/restore", "restoreLead", Leads, "Make a won or lost record active again.",
            new Answer(200, "The active record.", "Lead", "ETag"),
            new Answer(409, "Already active, or merged.", "Problem")),
        new("get", "/leads/{id}/log", "getLeadLog", Leads, "The record's history, newest first.",
            new Answer(200, "A page of log entries.", "LogEntryPage"))
        { Paged = true },
        new("post", "/leads/{id}/notes", "addLeadNote", Leads, "Add a note to the record's history.",
            new Answer(201, "The note's log entry.", "LogEntry", "Location"),
            new Answer(409, "The record is merged.", "Problem"))
        { Request = new Body("NoteRequest") },

        new("get", "/leads/{id}/similar", "listSimilar", Similar, "The records similar to this one, each with the rules it matched on.",
            new Answer(200, "The similar records.", "SimilarList")),
        new("post", "/leads/{id}/similar/{otherId}/dismiss", "dismissSimilar", Similar, "Mark the pair \"not a duplicate\": it no longer counts for either record.",
            new Answer(204, "Dismissed."),
            new Answer(409, "One of the records is merged.", "Problem")),

        new("get", "/leads/{id}/conversion", "getConversionDefaults", Conversion, "What a conversion dialog shows first: action, duplicates a merge would take, customer, salesperson and team.",
            new Answer(200, "The defaults.", "ConversionProposal"),
            new Answer(409, "The record cannot convert (not an active lead, or merged).", "Problem")),
        new("post", "/leads/{id}/convert", "convertLead", Conversion, "Convert a lead into an opportunity (merging its duplicates first with action merge); anything left out takes the defaults.",
            new Answer(200, "The converted record, its customer and the merge done first.", "ConversionResult", "ETag"),
            new Answer(409, "The record cannot convert (not an active lead, or merged).", "Problem"))
        { Request = new Body("ConvertRequest", Required: false) },
        new("post", "/conversions", "convertLeads", Conversion, "Convert up to 100 leads, salespeople assigned round-robin; one result per lead.",
            new Answer(200, "One result per lead, in the order given.", "BulkConvertResponse"))
        { Request = new Body("BulkConvertRequest") },

        new("post", "/merges", "createMerge", Merges, "Merge 2 to 10 records into the survivor (the first created active one unless named); dryRun shows the result and each field's source without changing anything.",
            new Answer(200, "Dry run: what the merge would make, and each field's source (no mergeId).", "MergeResult"),
            new Answer(201, "Merged (no sources).", "MergeResult", "Location"),
            new Answer(409, "A record is merged, being merged, or changed during the merge: nothing was merged.", "Problem"))
        { Request = new Body("MergeRequest") },
        new("get", "/merges/{mergeId}", "getMerge", Merges, "A merge's record and state.",
            new Answer(200, "The merge.", "MergeRecord")),
        new("post", "/merges/{mergeId}/undo", "undoMerge", Merges, "Undo a merge; force keeps (and logs) changes made to the survivor since.",
            new Answer(200, "The undone merge.", "MergeRecord"),
            new Answer(409, "The survivor changed since the merge (send force), or the merge is not applied.", "Problem"))
        { Request = new Body("UndoRequest", Required: false) },

        new("post", "/imports", "startImport", Imports,
            "Import up to 10,000 rows (10 MiB) of CSV (a header row of lead field names; tags separated by ;) or JSON lines. Each row is validated as POST /leads, stored with an imported log entry and checked for duplicates; the same file (or Idempotency-Key) again stores nothing twice.",
            new Answer(202, "Started (or the import this file or key started before): follow it at Location.", "ImportRecord", "Location"),
            new Answer(413, "The file is larger than 10 MiB.", "Problem"))
        { Request = new Body("ImportFile", File: true), RequestHeaders = ["Idempotency-Key"] },
        new("get", "/imports/{id}", "getImport", Imports, "An import's progress and the rows it refused, with their lines.",
            new Answer(200, "The import.", "ImportRecord")),

        new("post", "/webhooks", "createWebhook", Webhooks,
            "Subscribe an HTTPS address to event types (\"*\" for all). Each delivery is a CloudEvent signed as Standard Webhooks says (webhook-id, webhook-timestamp, webhook-signature); the answer shows the signing secret, once.",
            new Answer(201, "Created, with its secret.", "CreatedWebhook", "Location"))
        { Request = new Body("WebhookInput") },
        new("get", "/webhooks", "listWebhooks", Webhooks, "Page through webhook subscriptions (without their secrets).",
            new Answer(200, "A page of webhooks.", "WebhookPage"))
        { Paged = true },
        new("get", "/webhooks/{id}", "getWebhook", Webhooks, "One webhook subscription.",
            new Answer(200, "The webhook.", "Webhook")),
        new("patch", "/webhooks/{id}", "patchWebhook", Webhooks, "Change a subscription (JSON merge patch): its address, event types, description, or active.",
            new Answer(200, "The webhook.", "Webhook"),
            new Answer(412, "The webhook kept changing while it was being updated.", "Problem"))
        { Request = new Body("WebhookPatch", MergePatch: true) },
        new("delete", "/webhooks/{id}", "deleteWebhook", Webhooks, "Delete a subscription and its delivery log; deliveries still queued stop.",
            new Answer(204, "Deleted.")),
        new("get", "/webhooks/{id}/deliveries", "listWebhookDeliveries", Webhooks,
            "The subscription's delivery log, newest first: each event's status, tries, last answer and next try. A delivery still failing 24 hours after its first try is dead-lettered.",
            new Answer(200, "A page of deliveries.", "WebhookDeliveryPage"))
        { Paged = true },
        new("post", "/webhooks/{id}/test", "testWebhook", Webhooks, "Send a com.leadfunctions.webhook.ping event now (tried once) and answer with how it went.",
            new Answer(200, "The ping's delivery: delivered, or failed with the receiver's answer or the reason.", "WebhookDelivery")),

        new("post", "/erasures", "startErasure", Erasures,
            "Forget a person (GDPR article 17): every record, log entry, edge, merge image, index and list entry, customer, event, webhook delivery, capture claim and import row holding their email or phone. Runs in the background; follow it at Location. What remains is a receipt with counts and no personal data; merges that held their records can no longer be undone.",
            new Answer(202, "Started: the receipt, status running.", "ErasureRecord", "Location"))
        { Request = new Body("ErasureRequest") },
        new("get", "/erasures/{id}", "getErasure", Erasures, "An erasure's receipt: its status and what it erased, per kind.",
            new Answer(200, "The receipt.", "ErasureRecord")),

        new("get", "/settings", "getSettings", Directory, "The global settings.",
            new Answer(200, "The settings.", "Settings")),
        new("put", "/settings", "putSettings", Directory, "Replace the global settings; switching leads sets every team's useLeads.",
            new Answer(200, "The settings.", "Settings"))
        { Request = new Body("Settings") },
        new("post", "/teams", "createTeam", Directory, "Create a sales team.",
            new Answer(201, "Created.", "Team", "Location"))
        { Request = new Body("TeamInput") },
        new("get", "/teams", "listTeams", Directory, "Page through teams.",
            new Answer(200, "A page of teams.", "TeamPage"))
        { Paged = true },
        new("get", "/teams/{id}", "getTeam", Directory, "One team.",
            new Answer(200, "The team.", "Team")),
        new("patch", "/teams/{id}", "patchTeam", Directory, "Change a team (JSON merge patch).",
            new Answer(200, "The team.", "Team"))
        { Request = new Body("TeamPatch", MergePatch: true) },
        new("post", "/salespeople", "createSalesperson", Directory, "Create a salesperson.",
            new Answer(201, "Created.", "Salesperson", "Location"))
        { Request = new Body("SalespersonInput") },
        new("get", "/salespeople", "listSalespeople", Directory, "Page through salespeople.",
            new Answer(200, "A page of salespeople.", "SalespersonPage"))
        { Paged = true },
        new("get", "/salespeople/{id}", "getSalesperson", Directory, "One salesperson.",
            new Answer(200, "The salesperson.", "Salesperson")),
        new("patch", "/salespeople/{id}", "patchSalesperson", Directory, "Change a salesperson (JSON merge patch).",
            new Answer(200, "The salesperson.", "Salesperson"))
        { Request = new Body("SalespersonPatch", MergePatch: true) },
        new("post", "/customers", "createCustomer", Directory, "Create a customer: a company, or a person (of a company).",
            new Answer(201, "Created.", "Customer", "Location"))
        { Request = new Body("CustomerInput") },
        new("get", "/customers", "listCustomers", Directory, "Page through customers, or the ones with an email.",
            new Answer(200, "A page of customers.", "CustomerPage"))
        { Paged = true, Query = ["email"] },
        new("get", "/customers/{id}", "getCustomer", Directory, "One customer.",
            new Answer(200, "The customer.", "Customer")),

        new("get", "/health", "getHealth", Platform, "Liveness and storage reachability.",
            new Answer(200, "Healthy.", "HealthReport"),
            new Answer(503, "Storage (the parts named) cannot be reached.", "HealthReport"))
        { Public = true },
        new("get", "/console", "getConsole", Console, "The sales console (SPEC 9): a page for a browser. Public; its calls to the API send the function key the user types in.",
            new Answer(200, "The console's page.", null, FileHeaders) { Media = ["text/html"] },
            new Answer(301, "Sent to the address without the trailing slash.", null, "Location"),
            new Answer(304, "Unchanged since the If-None-Match version."))
        { Public = true },
        new("get", "/console/{asset}", "getConsoleAsset", Console, "A script or style sheet of the console.",
            new Answer(200, "The file.", null, FileHeaders) { Media = ["text/javascript", "text/css"] },
            new Answer(304, "Unchanged since the If-None-Match version."))
        { Public = true },
        new("get", "/capture.js", "getCaptureScript", Platform,
            "A script for web forms: it posts every form marked data-lead-form to capture as JSON, with an idempotency key per submission, and shows the result; without scripts the form posts itself.",
            new Answer(200, "The script.", null, FileHeaders) { Media = ["text/javascript"] },
            new Answer(304, "Unchanged since the If-None-Match version."))
        { Public = true },
        new("get", "/openapi.json", "getOpenApi", Platform, "This document.",
            new Answer(200, "The OpenAPI 3.1 description of the API."))
        { Public = true },
    ];
}
