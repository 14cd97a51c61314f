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
public sealed class LeadRouter(DirectoryStore directory, RoutingStore store, WriteFaults faults) : IDisposable
{
    /// <summary>How long this instance picks on the loads it knows before reading them again.</summary>
    public static readonly TimeSpan LoadsLifetime = TimeSpan.FromSeconds(15);

    // The loads as this instance last read or wrote them, and one pick at a time here: picks in
    // this instance never collide, so a record costs one write, not a read and a write and a retry.
    // Loads counted elsewhere meanwhile only look lower than they are, which never lets a pick
    // overfill anyone: the count is conditional on the picked member's row, whose load is known
    // exactly, and every other member's real load is at least what is known of it.
    private readonly SemaphoreSlim gate = new(1, 1);
    private Dictionary<string, LoadRow>? known;
    private long knownAt;

    /// <summary>Picks (and counts) in a burst collide on the least loaded member; each retry reads the loads again.</summary>
    private const int Attempts = 40;

    /// <summary>The rules by which a similar record's owner takes a record (SPEC 11: one customer, one salesperson).</summary>
    public static readonly IReadOnlyList<MatchRule> OwnerRules = [MatchRule.Email, MatchRule.EmailAlias, MatchRule.Customer];

    /// <summary>Whether any team routes: until one has rules or is the default, records stay as they came.</summary>
    public async Task<bool> IsOnAsync(CancellationToken ct) => (await directory.AllCachedAsync<Team>(ct)).Any(Router.Routes);

    /// <summary>
    /// Decides where the record goes and, unless <paramref name="dryRun"/>, counts it. Null: routing
    /// is off, or the record came for a team that does not route (its people assign it).
    /// </summary>
    /// <param name="similar">The record's similar records: the owner of one similar by email, alias or customer takes it.</param>
    /// <param name="exclude">Salespeople it must not go to (the owner who did not answer in time).</param>
    /// <param name="freshLoads">Read the loads first: a redelivery, whose earlier try may have been counted by another instance.</param>
    /// <param name="reassignment">Which routing of the record this is: 0 the first, n after n unanswered deadlines.</param>
    /// <param name="byRules">Back to the rules (an unanswered deadline): the team the record has does not hold it.</param>
    public async Task<RoutingDecision?> DecideAsync(Lead lead, IEnumerable<(Lead Other, IReadOnlyList<MatchRule> On)> similar,
        IReadOnlySet<string> exclude, DateTimeOffset now, bool dryRun, CancellationToken ct, bool freshLoads = false, int reassignment = 0, bool byRules = false)
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
        else if (lead.TeamId is { } given && !byRules)
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

        // One routing of the record: its first, or the n-th after n unanswered deadlines. A second
        // try of the same routing finds its count (the mark) and keeps it; a later routing is new.
        var mark = $"{lead.Id}:{reassignment}";
        var fresh = freshLoads;
        for (var attempt = 1; ; attempt++)
        {
            await gate.WaitAsync(ct);
            try
            {
                if (await PickOnceAsync(lead, people, team, reason, kind, owned.Other, exclude, mark, now, dryRun, fresh, ct) is { } decision)
                {
                    return decision;
                }
            }
            finally
            {
                gate.Release();
            }
            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"Routing record {lead.Id} kept colliding with other assignments.");
            }
            // Counted elsewhere first: read the loads again, a moment apart from the other instance
            // (outside the gate, so that this instance's other records are routed meanwhile).
            fresh = true;
            await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(1, 5 * Math.Min(attempt, 10) + 2)), ct);
        }
    }

    /// <returns>The decision, or null when the pick was counted elsewhere first.</returns>
    private async Task<RoutingDecision?> PickOnceAsync(Lead lead, Dictionary<string, Salesperson> people, Team? team, string reason, string kind,
        Lead? ownedBy, IReadOnlySet<string> exclude, string mark, DateTimeOffset now, bool dryRun, bool fresh, CancellationToken ct)
    {
        if (fresh || known is null || System.Diagnostics.Stopwatch.GetElapsedTime(knownAt) > LoadsLifetime)
        {
            known = await store.LoadsAsync(ct);
            knownAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }
        var loads = known;
        MemberLoad Weigh(Salesperson person) => loads.TryGetValue(person.Id, out var row)
            ? new MemberLoad(person, row.LoadAt(now), row.Ledger.LastAssignedAt)
            : new MemberLoad(person, 0, null);

        MemberLoad? pick;
        if (ownedBy is { } previous)
        {
            pick = Weigh(people[previous.UserId!]);
        }
        else
        {
            var members = team!.MemberIds.Where(people.ContainsKey).Select(id => Weigh(people[id])).ToList();
            // A second try of the same routing: the first one's count stands, if its member can
            // still take records (their capacity may be full with this very one).
            pick = members.FirstOrDefault(m => !exclude.Contains(m.Person.Id) && loads.GetValueOrDefault(m.Person.Id)?.Holds(mark) == true
                    && m.Person.Active && !(m.Person.AwayUntil > now))
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
        if (ownedBy is { } similarRecord)
        {
            decision.Data["similarId"] = similarRecord.Id;
        }
        if (dryRun || loads.GetValueOrDefault(pick.Person.Id)?.Holds(mark) == true)
        {
            return decision;
        }
        if (await store.TryCountAsync(loads.GetValueOrDefault(pick.Person.Id) ?? new LoadRow(pick.Person.Id, new LoadLedger(), null), mark, now, ct) is not { } counted)
        {
            return null;
        }
        loads[pick.Person.Id] = counted;
        // Where a process dying after counting, before the record is written, leaves a count its retry must reuse (tests die here).
        await faults.AfterWriteAsync("routing: counted");
        return decision;
    }

    public void Dispose() => gate.Dispose();

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
