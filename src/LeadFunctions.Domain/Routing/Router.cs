using System.Globalization;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Routing;

/// <summary>A salesperson as routing weighs them: their record, how many records the rules gave them in the last 30 days, and when last.</summary>
public sealed record MemberLoad(Salesperson Person, int Load, DateTimeOffset? LastAssignedAt);

/// <summary>The team a record goes to, and why in words ("country BE matched team Benelux"); <paramref name="RuleMatched"/> false for the default team.</summary>
public sealed record TeamChoice(Team Team, bool RuleMatched, string Reason);

/// <summary>
/// The rules of SPEC 11, pure: which team takes a record, and which of its members. Storage, time
/// and races are the caller's; this decides on what it is given.
/// </summary>
public static class Router
{
    /// <summary>Whether a team takes part in routing: it takes leads and has rules, or is the default.</summary>
    public static bool Routes(Team team) =>
        // Rules may be null in a team stored before they existed, or sent as a JSON null.
        team.UseLeads && (team.Rules is { Count: > 0 } || team.Default);

    /// <summary>
    /// The first team (by sequence, then creation, then id) taking part in routing whose rules all
    /// hold for the record; else the default team (one with <see cref="Team.Default"/> and useLeads); else null.
    /// </summary>
    public static TeamChoice? PickTeam(Lead lead, IReadOnlyList<Team> teams)
    {
        var routing = teams
            .Where(Routes)
            .OrderBy(t => t.Sequence)
            .ThenBy(t => t.CreatedAt)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var team in routing)
        {
            // A null condition (never valid, but possible in stored data) holds for nothing rather than throwing.
            if (team.Rules is { Count: > 0 } rules && rules.All(r => r is not null && RoutingRules.Holds(r, lead)))
            {
                var conditions = string.Join(" and ", rules.Select(r => RoutingRules.Describe(r, lead)));
                return new TeamChoice(team, true, $"{conditions} matched team {team.Name}");
            }
        }
        return routing.FirstOrDefault(t => t.Default) is { } fallback
            ? new TeamChoice(fallback, false, $"no rule matched; default team {fallback.Name}")
            : null;
    }

    /// <summary>
    /// The available member (<see cref="IsAvailable"/>) with the lowest load against capacity
    /// (load ÷ capacity; members without a limit weigh their load against the team's largest limit,
    /// or 1 when none has one); ties go to the one whose last assignment is oldest (never first),
    /// then by id. Members in <paramref name="exclude"/> (those a record already went to) are passed by. Null: nobody available.
    /// </summary>
    public static MemberLoad? PickMember(IReadOnlyList<MemberLoad> members, DateTimeOffset now, IReadOnlySet<string> exclude)
    {
        // The largest limit is the whole team's, the unavailable included, so that a member without a
        // limit is not weighed differently because a colleague is away today.
        var largest = members.Select(m => m.Person.Capacity).Where(c => c > 0).DefaultIfEmpty(1).Max();
        MemberLoad? best = null;
        foreach (var member in members)
        {
            if (exclude.Contains(member.Person.Id) || !IsAvailable(member, now))
            {
                continue;
            }
            if (best is null || Compare(member, best, largest) < 0)
            {
                best = member;
            }
        }
        return best;
    }

    private static int Compare(MemberLoad a, MemberLoad b, int largest)
    {
        // Cross-multiplied in longs: equal ratios (2 of 10, 4 of 20) must tie, which floating point does not promise.
        var byRatio = ((long)a.Load * Limit(b, largest)).CompareTo((long)b.Load * Limit(a, largest));
        if (byRatio != 0)
        {
            return byRatio;
        }
        var byWaiting = (a.LastAssignedAt, b.LastAssignedAt) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            var (x, y) => x.Value.CompareTo(y.Value),
        };
        return byWaiting != 0 ? byWaiting : string.CompareOrdinal(a.Person.Id, b.Person.Id);
    }

    private static int Limit(MemberLoad member, int largest) => member.Person.Capacity > 0 ? member.Person.Capacity : largest;

    /// <summary>Active, not away at <paramref name="now"/>, and under capacity (0: no limit).</summary>
    public static bool IsAvailable(MemberLoad member, DateTimeOffset now) => Unavailable(member, now) is null;

    /// <summary>Why a member is passed by, in words ("away until 2026-12-08 09:00 UTC", "inactive", "at capacity: 20 of 20"); null when available.</summary>
    public static string? Unavailable(MemberLoad member, DateTimeOffset now)
    {
        var person = member.Person;
        if (!person.Active)
        {
            return "inactive";
        }
        if (person.AwayUntil is { } until && until > now)
        {
            return "away until " + until.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }
        if (person.Capacity > 0 && member.Load >= person.Capacity)
        {
            return $"at capacity: {member.Load} of {person.Capacity}";
        }
        return null;
    }

    /// <summary>The member part of a reason: "Lea had 3 of 20 in the last 30 days" ("3, no limit" without one).</summary>
    public static string LoadReason(MemberLoad member)
    {
        // A salesperson without a name still needs a reason a person can trace back to someone.
        var name = string.IsNullOrWhiteSpace(member.Person.Name) ? member.Person.Id : member.Person.Name;
        return member.Person.Capacity > 0
            ? $"{name} had {member.Load} of {member.Person.Capacity} in the last 30 days"
            : $"{name} had {member.Load} in the last 30 days, no limit";
    }
}
