using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.OpenApi;
using LeadFunctions.Infrastructure;

namespace LeadFunctions.Functions.Features.Directory;

/// <summary>The Directory routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class DirectoryApi
{
    public static Operation[] Operations { get; } =
    [
        new("get", "/settings", "getSettings", OpenApiTags.Directory, "The global settings, and each duplicate rule's observed precision (how often the pairs it flagged were merged or dismissed).",
            new Answer(200, "The settings and each rule's observed precision.", "SettingsView"))
        { Role = Role.Sales },
        new("put", "/settings", "putSettings", OpenApiTags.Directory, "Replace the global settings; switching leads sets every team's useLeads. observedPrecision is read-only (400).",
            new Answer(200, "The settings.", "Settings"))
        { Role = Role.Admin, Request = new Body("Settings") },
        new("post", "/teams", "createTeam", OpenApiTags.Directory, "Create a sales team.",
            new Answer(201, "Created.", "Team", "Location"))
        { Role = Role.Manager, Request = new Body("TeamInput"), RequestHeaders = ["Idempotency-Key"], Errors = [409, 422] },
        new("get", "/teams", "listTeams", OpenApiTags.Directory, "Page through teams.",
            new Answer(200, "A page of teams.", "TeamPage"))
        { Role = Role.Sales, Paged = true },
        new("get", "/teams/{id}", "getTeam", OpenApiTags.Directory, "One team.",
            new Answer(200, "The team.", "Team"))
        { Role = Role.Sales },
        new("patch", "/teams/{id}", "patchTeam", OpenApiTags.Directory, "Change a team (JSON merge patch).",
            new Answer(200, "The team.", "Team"))
        { Role = Role.Manager, Request = new Body("TeamPatch", MergePatch: true) },
        new("put", "/teams/{id}", "putTeam", OpenApiTags.Directory,
            "Replace a team: its assignment rules, sequence, default, members and respond settings (what the body leaves out takes its default), and in capacity the members' records per 30 days.",
            new Answer(200, "The team.", "Team"))
        { Role = Role.Manager, Request = new Body("TeamReplacement"), Errors = [409, 422] },
        new("post", "/salespeople", "createSalesperson", OpenApiTags.Directory, "Create a salesperson.",
            new Answer(201, "Created.", "Salesperson", "Location"))
        { Role = Role.Manager, Request = new Body("SalespersonInput"), RequestHeaders = ["Idempotency-Key"], Errors = [409, 422] },
        new("get", "/salespeople", "listSalespeople", OpenApiTags.Directory, "Page through salespeople.",
            new Answer(200, "A page of salespeople.", "SalespersonPage"))
        { Role = Role.Sales, Paged = true },
        new("get", "/salespeople/{id}", "getSalesperson", OpenApiTags.Directory, "One salesperson.",
            new Answer(200, "The salesperson.", "Salesperson"))
        { Role = Role.Sales },
        new("patch", "/salespeople/{id}", "patchSalesperson", OpenApiTags.Directory, "Change a salesperson (JSON merge patch).",
            new Answer(200, "The salesperson.", "Salesperson"))
        { Role = Role.Manager, Request = new Body("SalespersonPatch", MergePatch: true) },
        new("post", "/customers", "createCustomer", OpenApiTags.Directory, "Create a customer: a company, or a person (of a company).",
            new Answer(201, "Created.", "Customer", "Location"))
        { Role = Role.Manager, Request = new Body("CustomerInput"), RequestHeaders = ["Idempotency-Key"], Errors = [409, 422] },
        new("get", "/customers", "listCustomers", OpenApiTags.Directory, "Page through customers, or the ones with an email.",
            new Answer(200, "A page of customers.", "CustomerPage"))
        { Role = Role.Sales, Paged = true, Query = ["email"] },
        new("get", "/customers/{id}", "getCustomer", OpenApiTags.Directory, "One customer.",
            new Answer(200, "The customer.", "Customer"))
        { Role = Role.Sales },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(Settings), "Settings", "The global settings.")
            .Add(typeof(DuplicateRules), "DuplicateRules", "Which similar-record rules are on.")
            .Add(typeof(SettingsView), "SettingsView", "The global settings, and each rule's observed precision (read-only: counted from merges and dismissals).")
            .Add(typeof(ObservedPrecision), "ObservedPrecision", "Per similar-record rule, under the names duplicateRules gives it: the team's decisions on the pairs it flagged.")
            .Add(typeof(RuleDecisions), "RuleDecisions", "Pairs the rule flagged that were merged, and that were dismissed as not duplicates; precision = merged / (merged + dismissed), null before any decision.")
            .Add(typeof(Team), "Team", "A sales team.")
            .Add(typeof(Team), "TeamInput", "A new sales team.", required: ["name"], without: ["id", "createdAt"])
            .Add(typeof(Team), "TeamPatch", "Changes to a team (JSON merge patch).", required: [], without: ["id", "createdAt"])
            .Add(typeof(Page<Team>), "TeamPage", "A page of teams.")
            .Add(typeof(Salesperson), "Salesperson", "A salesperson.")
            .Add(typeof(Salesperson), "SalespersonInput", "A new salesperson.", required: ["name"], without: ["id"])
            .Add(typeof(Salesperson), "SalespersonPatch", "Changes to a salesperson (JSON merge patch).", required: [], without: ["id"])
            .Add(typeof(Page<Salesperson>), "SalespersonPage", "A page of salespeople.")
            .Add(typeof(Customer), "Customer", "A customer: a company, or a person (companyId names the person's company).")
            .Add(typeof(Customer), "CustomerInput", "A new customer.", required: ["kind", "name"], without: ["id", "createdAt"])
            .Add(typeof(Page<Customer>), "CustomerPage", "A page of customers.");
        // By hand: a team as it is to be, and beside it its members' capacity, which the team
        // does not hold (SPEC 11 keeps capacity on the salesperson).
        schemas.AddRaw("TeamReplacement", new JsonObject
        {
            ["description"] = "A team as it is to be (what it leaves out takes its default), with its members' capacity.",
            ["allOf"] = new JsonArray(
                OpenApiSchemas.Ref("TeamInput"),
                new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["capacity"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["description"] = "Salesperson id → records per rolling 30 days (0 = no limit), for members of the team.",
                            ["additionalProperties"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = DirectoryService.MaxCapacity },
                        },
                    },
                }),
        });
    }
}

