using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Routing;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Routing;

/// <summary>
/// The timed part of routing (SPEC 11): records waiting for someone are assigned once someone of
/// their team is available (back from away, active again, under capacity), and a record whose
/// owner did not answer by its deadline goes back to the rules for another member, at most the
/// team's maxReassignments times. Each pass takes a bounded page of each; the next takes the rest.
/// </summary>
public sealed class RoutingSweep(RoutingStore store, LeadStore leads, DirectoryStore directory, Assigner assigner, ILogger<RoutingSweep> logger)
{
    /// <summary>Rows of each kind one pass takes.</summary>
    public const int PageSize = 100;

    /// <summary>What a pass did, for its log line and the tests.</summary>
    public sealed record Result(int Assigned, int Reassigned, int Dropped);

    /// <summary>How long a record nobody could take waits before the next pass tries it again.</summary>
    public static readonly TimeSpan TryAgainAfter = TimeSpan.FromMinutes(5);

    /// <param name="now">The pass's time: what is due by then is handled.</param>
    public async Task<Result> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        int assigned = 0, reassigned = 0, dropped = 0;
        foreach (var waiting in await store.WaitingAsync(now, PageSize, ct))
        {
            await OneAsync(waiting.LeadId, async () =>
            {
                if (await leads.FindAsync(waiting.LeadId, ct) is not { } lead || !IsWaiting(lead))
                {
                    await store.StopWaitingAsync(waiting.LeadId, ct);
                    dropped++;
                }
                else if (await assigner.RerouteAsync(lead.Id, IsWaiting, new HashSet<string>(), Actor.System,
                    $"waited since {waiting.Since.UtcDateTime:yyyy-MM-dd HH:mm} UTC; ", onlyToSomeone: true, now, ct) is not null)
                {
                    await store.StopWaitingAsync(waiting.LeadId, ct);
                    assigned++;
                }
                else
                {
                    await store.WaitAsync(waiting.LeadId, waiting.TeamId, waiting.Since, now + TryAgainAfter, ct);
                }
            });
        }
        foreach (var due in await store.DueByAsync(now, PageSize, ct))
        {
            await OneAsync(due.LeadId, async () =>
            {
                var lead = await leads.FindAsync(due.LeadId, ct);
                var team = lead?.TeamId is { } teamId ? await directory.FindTeamCachedAsync(teamId, ct) : null;
                bool Overdue(Lead l) => l.Status == LeadStatus.Active && l.FirstResponseAt is null && l.UserId is not null
                    && l.Assignment is { Status: AssignmentStatus.Assigned } a && a.RespondBy == due.By
                    && team is not null && a.Reassignments < team.MaxReassignments;
                if (lead is null || !Overdue(lead))
                {
                    await store.ForgetDueAsync(due, ct);
                    dropped++;
                    return;
                }
                var owner = (await directory.FindAsync<Salesperson>(lead.UserId!, ct))?.Name ?? lead.UserId;
                if (await assigner.RerouteAsync(lead.Id, Overdue, new HashSet<string>(StringComparer.Ordinal) { lead.UserId! }, Actor.System,
                    $"{owner} did not answer within {team!.RespondWithin}; ", onlyToSomeone: true, now, ct, overdue: true) is not null)
                {
                    // The new owner has a deadline of their own.
                    await store.ForgetDueAsync(due, ct);
                    reassigned++;
                }
                else
                {
                    // Nobody else can take it yet: it stays its owner's, and goes on being due.
                    await store.DueAgainAsync(due, now + TryAgainAfter, ct);
                }
            });
        }
        if (assigned + reassigned > 0)
        {
            logger.LogInformation("Routing pass: {Assigned} waiting records assigned, {Reassigned} reassigned", assigned, reassigned);
        }
        return new Result(assigned, reassigned, dropped);
    }

    /// <summary>One record's turn: a failure is logged (by id) and left for the next pass, never the end of this one.</summary>
    private async Task OneAsync(string leadId, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Routing record {LeadId} failed; the next pass tries it again", leadId);
        }
    }

    private static bool IsWaiting(Lead lead) =>
        lead.Status == LeadStatus.Active && lead.UserId is null && lead.Assignment?.Status == AssignmentStatus.Waiting;
}
