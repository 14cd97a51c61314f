using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Routing;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Routing;

/// <summary>What routing decided for a record: <see cref="Status"/> assigned (to <see cref="UserId"/>), waiting (for team <see cref="TeamId"/>), or manual (nothing to route to).</summary>
public sealed record RoutingDecision(AssignmentStatus Status, string? TeamId, string? UserId, string Reason, JsonObject Data, Team? Team)
{
    /// <summary>When the owner must answer by: the team's respondWithin from <paramref name="now"/>, in its working hours.</summary>
    public DateTimeOffset? RespondBy(DateTimeOffset now) =>
        Status == AssignmentStatus.Assigned && Team is { } team && ResponseDeadline.TryParseDuration(team.RespondWithin, out var within)
            ? ResponseDeadline.Of(now, within, team.WorkingHours, team.TimeZone)
            : null;
}

/// <summary>
/// Lead routing (SPEC 11), the part that needs storage: reads the teams and salespeople (cached)
/// and every salesperson's load, lets <see cref="Router"/> decide, and counts the pick with one
/// conditional write on the member's ledger (<see cref="RoutingStore"/>), picking again on fresh
/// loads when another record was counted first. A second try for the same record finds the first
/// one's count and keeps it, so a redelivered check never counts a record twice.
/// </summary>
public sealed class LeadRouter(DirectoryStore directory, RoutingStore store, WriteFaults faults)
{
    /// <summary>Picks (and counts) in a burst collide on the least loaded member; each retry reads the loads again.</summary>
    private const int Attempts = 40;

    private static readonly MatchRule[] OwnerRules = [MatchRule.Email, MatchRule.EmailAlias, MatchRule.Customer];

    /// <summary>Whether any team routes: until one has rules or is the default, records stay as they came.</summary>
    public async Task<bool> IsOnAsync(CancellationToken ct) => (await directory.AllCachedAsync<Team>(ct)).Any(Router.Routes);

    /// <summary>
    /// Decides where the record goes and, unless <paramref name="dryRun"/>, counts it. Null: routing
    /// is off, or the record came for a team that does not route (its people assign it).
    /// </summary>
    /// <param name="similar">The record's similar records: the owner of one similar by email, alias or customer takes it.</param>
    /// <param name="exclude">Salespeople it must not go to (the owner who did not answer in time).</param>
    public async Task<RoutingDecision?> DecideAsync(Lead lead, IEnumerable<(Lead Other, IReadOnlyList<MatchRule> On)> similar,
        IReadOnlySet<string> exclude, DateTimeOffset now, bool dryRun, CancellationToken ct)
    {
        var teams = await directory.AllCachedAsync<Team>(ct);
        if (!teams.Any(Router.Routes))
        {
            return null;
        }
        var people = (await directory.AllCachedAsync<Salesperson>(ct)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var byId = teams.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var owned = similar
            .Where(s => s.Other.Id != lead.Id && s.Other.Status == LeadStatus.Active && s.On.Any(OwnerRules.Contains)
                && s.Other.UserId is { } user && !exclude.Contains(user) && people.TryGetValue(user, out var p) && p.Active && !(p.AwayUntil > now))
            .OrderByDescending(s => s.Other.CreatedAt)
            .FirstOrDefault();
        Team? team;
        string reason, kind;
        if (owned.Other is { } other)
        {
            // One customer, one salesperson: the owner's team goes with them.
            team = other.TeamId is { } teamId ? byId.GetValueOrDefault(teamId) : null;
            var words = string.Join(" and ", owned.On.Where(OwnerRules.Contains).Select(Words));
            (reason, kind) = ($"same {words} as record {other.Id}, owned by {people[other.UserId!].Name}", "owner");
        }
        else if (lead.TeamId is { } given)
        {
            team = byId.GetValueOrDefault(given);
            if (team is null || !Router.Routes(team))
            {
                return null;
            }
            (reason, kind) = ($"the record came for team {team.Name}", "team");
        }
        else if (Router.PickTeam(lead, teams) is { } choice)
        {
            (team, reason, kind) = (choice.Team, choice.Reason, choice.RuleMatched ? "rule" : "default");
        }
        else
        {
            return new RoutingDecision(AssignmentStatus.Manual, null, null,
                "no team's rules match it and no team is the default: assign it by hand", new JsonObject { ["kind"] = "none" }, null);
        }

        for (var attempt = 1; ; attempt++)
        {
            var loads = await store.LoadsAsync(ct);
            MemberLoad Weigh(Salesperson person) => loads.TryGetValue(person.Id, out var row)
                ? new MemberLoad(person, row.LoadAt(now), row.Ledger.LastAssignedAt)
                : new MemberLoad(person, 0, null);

            MemberLoad? pick;
            if (owned.Other is { } previous)
            {
                pick = Weigh(people[previous.UserId!]);
            }
            else
            {
                var members = team!.MemberIds.Where(people.ContainsKey).Select(id => Weigh(people[id])).ToList();
                // A second try of the same record: the first one's count stands.
                pick = members.FirstOrDefault(m => !exclude.Contains(m.Person.Id) && loads.GetValueOrDefault(m.Person.Id)?.Holds(lead.Id) == true)
                    ?? Router.PickMember(members, now, exclude);
                if (pick is null)
                {
                    var why = members.Count == 0 ? "it has no members"
                        : string.Join(", ", members.Select(m => exclude.Contains(m.Person.Id)
                            ? $"{m.Person.Name} had it already" : $"{m.Person.Name} {Router.Unavailable(m, now)}"));
                    return new RoutingDecision(AssignmentStatus.Waiting, team.Id, null, $"{reason}; nobody is available ({why})",
                        Data(team, null, "waiting"), team);
                }
            }
            var decision = new RoutingDecision(AssignmentStatus.Assigned, team?.Id ?? lead.TeamId, pick.Person.Id,
                $"{reason}; {Router.LoadReason(pick)}", Data(team, pick, kind), team);
            if (owned.Other is { } similarRecord)
            {
                decision.Data["similarId"] = similarRecord.Id;
            }
            if (dryRun || loads.GetValueOrDefault(pick.Person.Id)?.Holds(lead.Id) == true)
            {
                return decision;
            }
            if (await store.TryCountAsync(loads.GetValueOrDefault(pick.Person.Id) ?? new LoadRow(pick.Person.Id, new LoadLedger(), null), lead.Id, now, ct))
            {
                // Where a process dying after counting, before the record is written, leaves a count its retry must reuse (tests die here).
                await faults.AfterWriteAsync("routing: counted");
                return decision;
            }
            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"Routing record {lead.Id} kept colliding with other assignments.");
            }
            // Colliding checks pick again a moment apart, not in step.
            await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(1, 5 * Math.Min(attempt, 10) + 2)), ct);
        }
    }

    private static JsonObject Data(Team? team, MemberLoad? pick, string kind)
    {
        var data = new JsonObject { ["kind"] = kind, ["teamId"] = team?.Id };
        if (pick is not null)
        {
            data["salespersonId"] = pick.Person.Id;
            data["load"] = pick.Load;
            data["capacity"] = pick.Person.Capacity;
        }
        return data;
    }

    private static string Words(MatchRule rule) => rule switch
    {
        MatchRule.Email => "email",
        MatchRule.EmailAlias => "email alias",
        _ => "customer",
    };
}
