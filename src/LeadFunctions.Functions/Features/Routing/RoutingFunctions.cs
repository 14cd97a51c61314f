using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Routing;

/// <summary>Lead routing (SPEC 11): run the rules over unassigned records, a team's members' load, and the timed pass.</summary>
public sealed class RoutingFunctions(LeadStore leads, LeadRouter router, Assigner assigner, RoutingSweep sweep, RoutingStore store,
    DirectoryStore directory, TimeProvider clock, ILogger<RoutingFunctions> logger)
{
    /// <summary>The app setting holding the routing pass's NCRONTAB schedule (default every 5 minutes).</summary>
    public const string ScheduleSetting = "Routing:Schedule";

    [Function("RunAssignments")]
    public Task<IActionResult> RunAssignments([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assignments")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Manager, async ct =>
        {
            var request = JsonInput.Deserialize<AssignmentsRequest>(await RequestBody.ReadOptionalJsonObjectAsync(req, ct));
            var (pageSize, token) = Query.Paging(req);
            var page = await leads.ScanAsync(pageSize, token, ct);
            var results = new List<AssignmentOutcome>();
            var now = clock.GetUtcNow();
            foreach (var lead in page.Items.Select(row => row.ToLead()).Where(Assigner.Unassigned))
            {
                var decision = request.DryRun
                    ? await router.DecideAsync(lead, await assigner.SimilarAsync(lead.Id, ct), Assigner.Nobody, now, dryRun: true, ct)
                    : await assigner.RerouteAsync(lead.Id, Assigner.Unassigned, Assigner.Nobody, ActorScope.Current, null, onlyToSomeone: false, now, ct);
                if (decision is not null)
                {
                    results.Add(new AssignmentOutcome(lead.Id, decision.Status, decision.TeamId, decision.UserId, decision.Reason));
                }
            }
            return ApiResults.Json(new AssignmentsRun(request.DryRun, page.Items.Count, results, page.ContinuationToken));
        });

    [Function("GetTeamMembers")]
    public Task<IActionResult> GetTeamMembers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "teams/{id}/members")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var team = await directory.FindAsync<Team>(id, ct) ?? throw new NotFoundException("team", id);
            var people = (await directory.AllAsync<Salesperson>(ct)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            var loads = await store.LoadsAsync(ct);
            var now = clock.GetUtcNow();
            var members = team.MemberIds.Where(people.ContainsKey).Select(memberId =>
            {
                var person = people[memberId];
                var row = loads.GetValueOrDefault(memberId);
                var member = new MemberLoad(person, row?.LoadAt(now) ?? 0, row?.Ledger.LastAssignedAt);
                var unavailable = Router.Unavailable(member, now);
                return new MemberStatus(person.Id, person.Name, person.Capacity, member.Load, person.Active, person.AwayUntil,
                    unavailable is null, unavailable, member.LastAssignedAt);
            }).ToList();
            return ApiResults.Json(new TeamMembers(team.Id, members));
        });

    [Function("RouteLeads")]
    public Task RouteLeads([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct) =>
        sweep.RunAsync(clock.GetUtcNow(), ct);
}
