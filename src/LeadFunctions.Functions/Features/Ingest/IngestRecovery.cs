using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>
/// Every stored record is listed and checked, whatever happens to its check (SPEC 4.2). A check
/// that throws is tried again later, waiting twice as long each time, and after
/// <see cref="IngestOptions.MaxAttempts"/> tries the record shows <c>duplicateCheck.status:
/// failed</c> with the reason, listed. A record whose check never ran (its message lost, the queue
/// function down, a process killed each time) is found by the sweep once it has been pending for
/// <see cref="IngestOptions.RecheckAfter"/>: listed as pending, and its check queued again.
/// </summary>
public sealed class IngestRecovery(
    LeadStore leads,
    PendingChecks pendingChecks,
    IngestQueue queue,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<IngestRecovery> logger)
{
    /// <summary>Records the sweep queues again per run; the rest wait for the next run.</summary>
    public const int MaxPerSweep = 500;

    private IngestOptions Options => options.Value;

    /// <summary>
    /// A check that threw: sent again after a wait that doubles each try, or, after the last try,
    /// the record is marked failed (and listed). Never throws for the check's own failure, so the
    /// host does not spend its quick retries on it.
    /// </summary>
    public async Task RetryOrFailAsync(CheckMessage message, Exception failure, CancellationToken ct)
    {
        var attempt = message.Attempt + 1;
        if (attempt < Options.MaxAttempts)
        {
            var wait = RetryWait(message.Attempt);
            logger.LogWarning(failure, "The check of record {LeadId} failed (try {Attempt} of {MaxAttempts}); trying again in {Wait}",
                message.LeadId, attempt, Options.MaxAttempts, wait);
            await queue.SendAsync(message with { Attempt = attempt }, ct, wait);
            return;
        }
        logger.LogError(failure, "The check of record {LeadId} failed {Attempts} times; the record shows it failed", message.LeadId, attempt);
        await MarkFailedAsync(message.LeadId, $"The duplicate check failed {attempt} times ({failure.GetType().Name}).", ct);
    }

    /// <summary>The wait before try <paramref name="attempt"/> + 2: RetryAfter, doubled each try, at most an hour.</summary>
    public TimeSpan RetryWait(int attempt) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, Options.RetryAfter.Ticks * (1L << Math.Min(attempt, 20))));

    /// <summary>Marks a record still pending as failed, with the reason, and lists it so.</summary>
    public async Task MarkFailedAsync(string id, string reason, CancellationToken ct)
    {
        try
        {
            // Changed meanwhile (its check may have ended after all): look again.
            await Retry.OnConflictAsync(async ct =>
            {
                var row = await leads.ReadAsync(id, ct);
                if (row is null)
                {
                    return;
                }
                var lead = row.ToLead();
                if (lead.DuplicateCheck.Status != DuplicateCheckStatus.Pending)
                {
                    return;
                }
                lead.DuplicateCheck.Status = DuplicateCheckStatus.Failed;
                lead.DuplicateCheck.Reason = reason;
                lead.DuplicateCheck.CheckedAt = clock.GetUtcNow();
                await leads.UpdateAsync(lead, row, [], ct, byPerson: false);
            }, ct);
        }
        catch (ConcurrencyException)
        {
            // Still changing after every try: it stays pending, where the sweep finds it again.
        }
    }

    /// <summary>
    /// One run of the sweep: every record whose check is still pending and that was neither stored
    /// nor written in the last RecheckAfter is listed and its check queued again (so at most once
    /// per RecheckAfter each: the queueing is a write; after MaxAttempts queueings it is marked failed). Only records stored since the oldest one found
    /// pending are read: the run remembers where the next one starts, however old that record is.
    /// </summary>
    /// <returns>The records queued again.</returns>
    public async Task<int> SweepPendingAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var upTo = Ids.Floor(now - Options.RecheckAfter);
        var from = await pendingChecks.StartAsync(ct);
        var pending = await pendingChecks.FindAsync(from, upTo, MaxPerSweep, ct);
        var queued = 0;
        var counted = new List<StoredLead>();
        foreach (var row in pending)
        {
            // Written within RecheckAfter: its check (or an import's, whose rows carry the import's
            // older id time) may be running now. It still holds the next run's start.
            if (PendingChecks.WrittenAt(row) is { } written && now - written < Options.RecheckAfter)
            {
                continue;
            }
            var rechecks = PendingChecks.RechecksOf(row);
            if (rechecks >= Options.MaxAttempts)
            {
                await MarkFailedAsync(row.Id, $"The duplicate check never finished after {rechecks} tries.", ct);
                continue;
            }
            if (await pendingChecks.CountRecheckAsync(row, ct) is not { } recounted)
            {
                // Written meanwhile (its check may be running now): the next run looks again.
                continue;
            }
            counted.Add(recounted);
            logger.LogWarning("Record {LeadId} is still pending; its check is queued again", row.Id);
            await queue.CheckAsync([row.Id], ct);
            queued++;
        }
        await leads.ListAsync(counted, ct);
        // The next run starts at the oldest record still pending (rows come in id order), or where
        // this one ended when every record before it is checked.
        var next = pending.Count > 0 ? pending[0].Id : upTo;
        if (!string.Equals(next, from, StringComparison.Ordinal))
        {
            await pendingChecks.SaveStartAsync(next, ct);
        }
        return queued;
    }
}
