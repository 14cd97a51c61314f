using LeadFunctions.Domain.Routing;

namespace LeadFunctions.Functions.Features.Routing;

/// <summary>POST /assignments: with dryRun, say what the rules would do without doing it.</summary>
public sealed record AssignmentsRequest(bool DryRun = false);

/// <summary>What the rules did (or would do) with one unassigned record.</summary>
public sealed record AssignmentOutcome(string Id, AssignmentStatus Status, string? TeamId, string? UserId, string Reason);

/// <summary>One page of POST /assignments: the unassigned records it met among <see cref="Scanned"/>, and where to go on.</summary>
public sealed record AssignmentsRun(bool DryRun, int Scanned, IReadOnlyList<AssignmentOutcome> Results, string? ContinuationToken);

/// <summary>A team member as routing sees them now.</summary>
public sealed record MemberStatus(string Id, string Name, int Capacity, int Load, bool Active, DateTimeOffset? AwayUntil,
    bool Available, string? Unavailable, DateTimeOffset? LastAssignedAt);

/// <summary>GET /teams/{id}/members: each member's load over the last 30 days and whether the rules would give them a record now.</summary>
public sealed record TeamMembers(string TeamId, IReadOnlyList<MemberStatus> Members);
