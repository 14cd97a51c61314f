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
    public static bool Routes(Team team) => throw new NotImplementedException();

    /// <summary>
    /// The first team (by sequence, then creation, then id) taking part in routing whose rules all
    /// hold for the record; else the default team (one with <see cref="Team.Default"/> and useLeads); else null.
    /// </summary>
    public static TeamChoice? PickTeam(Lead lead, IReadOnlyList<Team> teams) => throw new NotImplementedException();

    /// <summary>
    /// The available member (<see cref="IsAvailable"/>) with the lowest load against capacity
    /// (load ÷ capacity; members without a limit weigh their load against the team's largest limit,
    /// or 1 when none has one); ties go to the one whose last assignment is oldest (never first),
    /// then by id. Members in <paramref name="exclude"/> (those a record already went to) are passed by. Null: nobody available.
    /// </summary>
    public static MemberLoad? PickMember(IReadOnlyList<MemberLoad> members, DateTimeOffset now, IReadOnlySet<string> exclude) =>
        throw new NotImplementedException();

    /// <summary>Active, not away at <paramref name="now"/>, and under capacity (0: no limit).</summary>
    public static bool IsAvailable(MemberLoad member, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>Why a member is passed by, in words ("away until 2026-12-08 09:00 UTC", "inactive", "at capacity: 20 of 20"); null when available.</summary>
    public static string? Unavailable(MemberLoad member, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>The member part of a reason: "Lea had 3 of 20 in the last 30 days" ("3, no limit" without one).</summary>
    public static string LoadReason(MemberLoad member) => throw new NotImplementedException();
}

/// <summary>Conditions and their checks.</summary>
public static class RoutingRules
{
    /// <summary>The fields a condition may name: country, source, medium, campaign, tags, emailDomain, companyName.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["country", "source", "medium", "campaign", "tags", "emailDomain", "companyName"];

    /// <summary>
    /// Whether the condition holds for the record. Comparisons ignore case and surrounding space;
    /// emailDomain is the part after the last '@' of the email; tags hold when any tag does; an
    /// empty field holds for nothing. equals: the first value; in: any value; contains / startsWith: any value.
    /// </summary>
    public static bool Holds(RoutingRule rule, Lead lead) => throw new NotImplementedException();

    /// <summary>The condition as it held, in words, with the record's value: "country BE", "tags include fair", "emailDomain acme.example".</summary>
    public static string Describe(RoutingRule rule, Lead lead) => throw new NotImplementedException();

    /// <summary>
    /// Adds the errors of a team's rules under "rules[i].field" / ".op" / ".values": an unknown
    /// field, no values, more than 50 values, a value empty or over 200 characters; equals takes one value.
    /// At most 20 conditions a team.
    /// </summary>
    public static void Validate(IReadOnlyList<RoutingRule>? rules, Leads.ValidationErrors errors) => throw new NotImplementedException();
}

/// <summary>Deadlines counted in a team's working hours.</summary>
public static class ResponseDeadline
{
    /// <summary>
    /// <paramref name="from"/> plus <paramref name="within"/> of working time: time outside the
    /// working hours (in <paramref name="timeZone"/>, an IANA or Windows id) does not count; null
    /// hours: around the clock. A start outside working hours starts counting at the next opening.
    /// </summary>
    public static DateTimeOffset Of(DateTimeOffset from, TimeSpan within, WorkingHours? hours, string timeZone) => throw new NotImplementedException();

    /// <summary>Parses an ISO 8601 duration ("PT2H", "P1D"); false when it is not one, or not positive, or over 30 days.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration) => throw new NotImplementedException();

    /// <summary>
    /// Adds the errors of a team's respond settings: respondWithin a duration, timeZone a known
    /// zone, workingHours days known names (at least one), start and end "HH:mm" with start before end, maxReassignments 0 to 10.
    /// </summary>
    public static void Validate(Team team, Leads.ValidationErrors errors) => throw new NotImplementedException();
}
