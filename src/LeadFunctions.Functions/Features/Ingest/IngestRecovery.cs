using Azure;
using Azure.Data.Tables;
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
    StorageClients clients,
    LeadStore leads,
    LeadList list,
    IngestQueue queue,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<IngestRecovery> logger)
{
    private const string SweepPartition = "sweep";
    private const string SweepRow = "pending";
    private const string FromColumn = "From";

    /// <summary>Records the sweep queues again per run; the rest wait for the next run.</summary>
    public const int MaxPerSweep = 500;

    private IngestOptions Options => options.Value;

    /// <summary>
    /// A check that threw: sent again after a wait that doubles each try, or, after the last try,
    /// the record is marked failed (and listed). Never throws for the check's own failure, so the
    /// host does not spend its quick retries on it.
    /// </summary>
    public async Task RetryOrFailAsync(IngestMessage message, Exception failure, CancellationToken ct)
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
                var row = await leads.FindRowAsync(id, ct);
                if (row is null)
                {
                    return;
                }
                var lead = LeadRows.ToLead(row);
                if (lead.DuplicateCheck.Status != DuplicateCheckStatus.Pending)
                {
                    return;
                }
                lead.DuplicateCheck.Status = DuplicateCheckStatus.Failed;
                lead.DuplicateCheck.Reason = reason;
                lead.DuplicateCheck.CheckedAt = clock.GetUtcNow();
                await leads.UpdateAsync(lead, row, row.ETag, [], ct);
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
        await clients.EnsureCreatedAsync();
        var now = clock.GetUtcNow();
        var upTo = Ids.Floor(now - Options.RecheckAfter);
        var state = await clients.Directory.GetEntityIfExistsAsync<TableEntity>(SweepPartition, SweepRow, cancellationToken: ct);
        var from = state.HasValue ? state.Value!.GetString(FromColumn) ?? "" : "";
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {from} and PartitionKey lt {upTo} and RowKey eq {StorageNames.LeadRow} and Check eq {LeadRows.Wire(DuplicateCheckStatus.Pending)}");
        var pending = new List<TableEntity>();
        await foreach (var row in clients.Leads.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            pending.Add(row);
            if (pending.Count == MaxPerSweep)
            {
                break;
            }
        }
        var queued = 0;
        var listings = new List<LeadList.Listing>();
        foreach (var row in pending)
        {
            // Written within RecheckAfter: its check (or an import's, whose rows carry the import's
            // older id time) may be running now. It still holds the next run's start.
            if (row.Timestamp is { } written && now - written < Options.RecheckAfter)
            {
                continue;
            }
            var rechecks = row.GetInt32(LeadRows.RechecksColumn) ?? 0;
            if (rechecks >= Options.MaxAttempts)
            {
                await MarkFailedAsync(row.PartitionKey, $"The duplicate check never finished after {rechecks} tries.", ct);
                continue;
            }
            try
            {
                var response = await clients.Leads.UpdateEntityAsync(new TableEntity(row.PartitionKey, StorageNames.LeadRow)
                {
                    [LeadRows.RechecksColumn] = rechecks + 1,
                }, row.ETag, TableUpdateMode.Merge, ct);
                listings.Add(new LeadList.Listing(row, response.Headers.ETag ?? row.ETag, []));
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                // Written meanwhile (its check may be running now): the next run looks again.
                continue;
            }
            logger.LogWarning("Record {LeadId} is still pending; its check is queued again", row.PartitionKey);
            await queue.CheckAsync([row.PartitionKey], ct);
            queued++;
        }
        await list.ProjectAsync(listings, ct);
        // The next run starts at the oldest record still pending (rows come in id order), or where
        // this one ended when every record before it is checked.
        var next = pending.Count > 0 ? pending[0].PartitionKey : upTo;
        if (!string.Equals(next, from, StringComparison.Ordinal))
        {
            await clients.Directory.UpsertEntityAsync(new TableEntity(SweepPartition, SweepRow) { [FromColumn] = next }, TableUpdateMode.Replace, ct);
        }
        return queued;
    }
}
