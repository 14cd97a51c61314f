using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Routing;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Routing;

/// <summary>The routing routes in the OpenAPI document (SPEC 11): what each reads and answers, and the schemas they name.</summary>
internal static class RoutingApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/assignments", "runAssignments", OpenApiTags.Directory,
            "Run the assignment rules now over one page of records nobody owns (records stored before the rules, or waiting). With dryRun, answer what the rules would do and change nothing. Follow continuationToken for the next page.",
            new Answer(200, "What the rules did (or would do) on this page.", "AssignmentsRun"))
        { Role = Role.Manager, Request = new Body("AssignmentsRequest"), Paged = true },
        new("get", "/teams/{id}/members", "getTeamMembers", OpenApiTags.Directory,
            "A team's members as routing sees them: capacity, records given in the last 30 days, active, away until, and whether the rules would give them a record now.",
            new Answer(200, "The members.", "TeamMembers"))
        { Role = Role.Sales },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(AssignmentsRequest), "AssignmentsRequest", "Run the rules now, or (dryRun) only say what they would do.", required: [])
            .Add(typeof(AssignmentOutcome), "AssignmentOutcome", "What the rules did (or would do) with one record.")
            .Add(typeof(AssignmentsRun), "AssignmentsRun", "One page of a run of the rules.")
            .Add(typeof(MemberStatus), "MemberStatus", "A member as routing sees them now.")
            .Add(typeof(TeamMembers), "TeamMembers", "A team's members with their load and availability.")
            .Add(typeof(LeadAssignment), "LeadAssignment", "How a record came to its salesperson.");
    }
}
