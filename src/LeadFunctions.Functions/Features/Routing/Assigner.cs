using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Routing;

namespace LeadFunctions.Functions.Features.Routing;

/// <summary>
/// Puts routing's decisions on records (SPEC 11): a new record in its own check's write, a record
/// already stored through <see cref="LeadUpdater"/>. What a later pass needs (a record waiting
/// for someone, an answer due) is remembered before the record is written, so that a process
/// dying in between leaves a row the sweep finds stale and drops, never a record nobody revisits.
/// </summary>
public sealed class Assigner(LeadRouter router, RoutingStore store, LeadUpdater updater, LeadStore leads, TimeProvider clock)
{
    /// <summary>The most similar records whose owner a stored record's routing looks at.</summary>
    private const int MaxOwnersRead = 20;

    /// <summary>No salesperson to pass by.</summary>
    public static readonly IReadOnlySet<string> Nobody = new HashSet<string>();

    /// <summary>Whether POST /assignments takes the record: active and nobody's, whether never routed, waiting, or left to be assigned by hand.</summary>
    public static bool Unassigned(Lead lead) =>
        lead.Status == LeadStatus.Active && lead.UserId is null && lead.Assignment?.Status is null or AssignmentStatus.Manual or AssignmentStatus.Waiting;

    /// <summary>
    /// Routes a record at its first check, on the record that check writes. Null when there is no
    /// entry to write: routing is off, the record has an owner or came for a team that does not
    /// route, or nothing matched (the assignment then says so, without an entry).
    /// </summary>
    /// <param name="entryId">Fixed by the check, so that a second run of it writes the same entry.</param>
    /// <param name="redelivered">The check's message came again: its first try may have counted the record elsewhere.</param>
    public async Task<LogEntry?> RouteNewAsync(Lead lead, IEnumerable<(Lead Other, IReadOnlyList<MatchRule> On)> similar, string entryId, bool redelivered,
        CancellationToken ct)
    {
        if (lead.UserId is not null || lead.Assignment is not null || lead.Status != LeadStatus.Active)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        return await router.DecideAsync(lead, similar, Nobody, now, dryRun: false, ct, freshLoads: redelivered) is { } decision
            ? await ApplyAsync(lead, decision, now, Actor.System, entryId, lead.Assignment?.Reassignments ?? 0, null, ct)
            : null;
    }

    /// <summary>
    /// Routes a stored record again, as <paramref name="actor"/>: a waiting one, one whose owner
    /// did not answer in time (<paramref name="exclude"/>: that owner), or one POST /assignments
    /// reaches. <paramref name="still"/> says, on the record as read for the write, whether it is still due.
    /// </summary>
    /// <param name="now">The time routing decides at (who is away, loads): the pass's; the record is stamped with the write's.</param>
    /// <param name="overdue">Its owner did not answer in time: back to the rules (not to the team it has), as its next routing.</param>
    /// <returns>The decision written, or null when nothing was written.</returns>
    public async Task<RoutingDecision?> RerouteAsync(string id, Func<Lead, bool> still, IReadOnlySet<string> exclude, Actor actor,
        string? prefix, bool onlyToSomeone, DateTimeOffset now, CancellationToken ct, bool overdue = false)
    {
        RoutingDecision? written = null;
        await updater.ChangeAsync(id, null, async (lead, at) =>
        {
            written = null;
            var reassignments = (lead.Assignment?.Reassignments ?? 0) + (overdue ? 1 : 0);
            // Back to the rules means the rules: the owner of a similar record is not asked again.
            var similar = overdue || !still(lead) ? [] : await SimilarAsync(lead.Id, ct);
            if (!still(lead) || await router.DecideAsync(lead, similar, exclude, now, dryRun: false, ct, reassignment: reassignments, byRules: overdue) is not { } decision
                || (onlyToSomeone && decision.Status != AssignmentStatus.Assigned)
                || (decision.Status == lead.Assignment?.Status && decision.Status != AssignmentStatus.Assigned))
            {
                return null;
            }
            // Stamped at the write's own time: ids sort by it, whatever time the pass decided at.
            var entry = await ApplyAsync(lead, decision, at, actor, Ids.New(at), reassignments, prefix, ct);
            written = decision;
            return entry is null ? null : new LeadChange(entry, Check: false);
        }, ct, byPerson: false);
        return written;
    }

    /// <summary>
    /// A stored record's similar records that could hand it to their owner (SPEC 11: by email, alias
    /// or customer, active), read from its edges: what its first check had in hand.
    /// </summary>
    public async Task<IReadOnlyList<(Lead Other, IReadOnlyList<MatchRule> On)>> SimilarAsync(string id, CancellationToken ct)
    {
        if (await leads.ReadHeadAsync(id, ct) is not { } head)
        {
            return [];
        }
        var edges = head.Edges.Where(e => e.Status == LeadStatus.Active && LeadRouter.OwnerRules.Intersect(e.MatchedOn).Any() && !head.Dismissed.Contains(e.Id))
            .OrderByDescending(e => e.CreatedAt).Take(MaxOwnersRead).ToList();
        var others = await Task.WhenAll(edges.Select(e => leads.FindAsync(e.Id, ct)));
        return [.. edges.Zip(others).Where(p => p.Second is not null).Select(p => (p.Second!, p.First.MatchedOn))];
    }

    private async Task<LogEntry?> ApplyAsync(Lead lead, RoutingDecision decision, DateTimeOffset now, Actor actor, string entryId,
        int reassignments, string? prefix, CancellationToken ct)
    {
        var reason = prefix + decision.Reason;
        if (decision.Status == AssignmentStatus.Manual)
        {
            lead.Assignment = new LeadAssignment { Status = AssignmentStatus.Manual, Reason = reason, At = now, Reassignments = reassignments };
            return null;
        }
        if (decision.Status == AssignmentStatus.Waiting)
        {
            await store.WaitAsync(lead.Id, decision.TeamId!, now, now, ct);
        }
        var respondBy = decision.RespondBy(now);
        if (respondBy is { } by)
        {
            await store.DueAsync(lead.Id, by, ct);
        }
        return lead.Route(decision.Status, decision.TeamId, decision.UserId, reason, decision.Data, now, actor, entryId, reassignments, respondBy);
    }
}
