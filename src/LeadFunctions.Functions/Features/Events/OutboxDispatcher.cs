using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Events;

/// <summary>
/// Delivers a record's outbox to every sink, at least once and in order (SPEC 6): under the
/// record's dispatch lease it reads the pending events, sends them to each sink in turn, then marks
/// them sent and gives the lease back in one transaction. A failure leaves the events pending for
/// the next wake (the queue's retries, then the timer sweep), so a sink that is down loses nothing.
/// </summary>
public sealed class OutboxDispatcher(
    OutboxStore store,
    OutboxQueue queue,
    IEnumerable<IEventSink> sinks,
    WriteFaults faults,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>Longer than a dispatch takes; a dispatcher that dies holds up its record this long at most.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>The time sinks get, retries included, leaving the rest of the lease to mark the events sent.</summary>
    public static readonly TimeSpan SendWithin = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<IEventSink> sinks = [.. sinks];

    /// <returns>The events delivered.</returns>
    public async Task<int> DispatchAsync(string leadId, CancellationToken ct)
    {
        var state = await store.ReadAsync(leadId, ct);
        if (state.Pending.Count == 0)
        {
            return 0;
        }
        if (await store.TryAcquireAsync(leadId, state.Lease, LeaseDuration, ct) is not { } held)
        {
            // Another dispatcher is at this record (it takes milliseconds): look again shortly, so
            // that an event it did not read is still delivered.
            await queue.WakeAsync(leadId, ct, BusyRetry);
            return 0;
        }
        await faults.AtAsync("dispatch:leased");
        try
        {
            await faults.AfterWriteAsync("dispatch lease");
            // Sending stops well before the lease ends: past it another dispatcher may be sending the
            // same events, and a late send of this one would come after its later ones.
            using var withinLease = CancellationTokenSource.CreateLinkedTokenSource(ct);
            withinLease.CancelAfter(SendWithin);
            foreach (var sink in sinks)
            {
                await sink.SendAsync(state.Pending, withinLease.Token);
            }
            await faults.AfterWriteAsync("events sent");
        }
        catch
        {
            // Nothing marked: every sink gets them all again, in order, on the next try.
            await store.CompleteAsync(leadId, [], held, CancellationToken.None);
            throw;
        }
        await store.CompleteAsync(leadId, state.Pending, held, ct);
        logger.LogInformation("Delivered {Count} event(s) of record {LeadId}", state.Pending.Count, leadId);
        return state.Pending.Count;
    }

    /// <summary>
    /// Dispatch as part of another execution (a check, an import chunk): a failure is not that
    /// execution's, so it hands the events to the dispatch queue instead of failing the check.
    /// </summary>
    public async Task DispatchOrHandOverAsync(string leadId, CancellationToken ct)
    {
        try
        {
            await DispatchAsync(leadId, ct);
        }
        // Sinks that ran out of their time (SendWithin) are a failed delivery like any other: only
        // the caller's own cancellation ends the caller.
        catch (Exception e) when (e is not InjectedFaultException && !(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            logger.LogWarning(e, "Delivering the events of record {LeadId} failed; queued for another try", leadId);
            await queue.WakeAsync(leadId, ct, TimeSpan.FromSeconds(5));
        }
    }
}
