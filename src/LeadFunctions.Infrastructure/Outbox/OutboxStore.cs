using Azure;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Outbox;

/// <summary>An event waiting in a record's outbox, as stored (CloudEvents JSON).</summary>
public sealed record OutboxEvent(string LeadId, string RowKey, string Id, string Type, string Json);

/// <summary>A record's undelivered events, oldest first, and its dispatch lease as read with them.</summary>
public sealed record OutboxState(IReadOnlyList<OutboxEvent> Pending, TableEntity? Lease);

/// <summary>Reads, leases and marks the outbox rows in the leads table (see <see cref="OutboxRows"/>).</summary>
public sealed class OutboxStore(StorageClients clients, TimeProvider clock)
{
    private const string HolderColumn = "Holder";
    private const string UntilColumn = "Until";

    private TableClient Table => clients.Leads;

    /// <summary>The pending events and the lease, in one range query of the record's partition.</summary>
    public async Task<OutboxState> ReadAsync(string leadId, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {leadId} and RowKey ge {OutboxRows.Prefix} and RowKey lt {OutboxRows.End} and (Pending eq {true} or RowKey eq {OutboxRows.LeaseRow})");
        var pending = new List<OutboxEvent>();
        TableEntity? lease = null;
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            if (row.RowKey == OutboxRows.LeaseRow)
            {
                lease = row;
            }
            else
            {
                pending.Add(new OutboxEvent(leadId, row.RowKey, row.GetString(OutboxRows.EventIdColumn) ?? "", row.GetString(OutboxRows.TypeColumn) ?? "", OutboxRows.JsonOf(row)));
            }
        }
        return new OutboxState(pending, lease);
    }

    /// <summary>
    /// Takes the record's dispatch lease for <paramref name="duration"/> unless another dispatcher
    /// holds it: one dispatcher per record at a time keeps its events in order.
    /// </summary>
    /// <returns>The lease's version, or null when another dispatcher holds it.</returns>
    public async Task<ETag?> TryAcquireAsync(string leadId, TableEntity? lease, TimeSpan duration, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = new TableEntity(leadId, OutboxRows.LeaseRow) { [HolderColumn] = Guid.NewGuid().ToString("N"), [UntilColumn] = now + duration };
        try
        {
            if (lease is null)
            {
                return (await Table.AddEntityAsync(row, ct)).Headers.ETag;
            }
            if ((lease.GetDateTimeOffset(UntilColumn) ?? DateTimeOffset.MinValue) > now)
            {
                return null;
            }
            return (await Table.UpdateEntityAsync(row, lease.ETag, TableUpdateMode.Replace, ct)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another dispatcher took it between the read and this write.
            return null;
        }
    }

    /// <summary>
    /// Marks the delivered events sent and gives the lease back, in one transaction per 99 events
    /// (the lease in the last): if another dispatcher took over an expired lease, its marks stand.
    /// </summary>
    public async Task CompleteAsync(string leadId, IReadOnlyList<OutboxEvent> sent, ETag lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var marks = sent.Select(e => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
            new TableEntity(leadId, e.RowKey) { [OutboxRows.PendingColumn] = false, [OutboxRows.SentAtColumn] = now }, ETag.All)).ToList();
        var chunks = marks.Chunk(99).ToList();
        for (var i = 0; i < chunks.Count - 1; i++)
        {
            await Table.SubmitTransactionAsync(chunks[i], ct);
        }
        var release = new TableTransactionAction(TableTransactionActionType.UpdateMerge,
            new TableEntity(leadId, OutboxRows.LeaseRow) { [UntilColumn] = DateTimeOffset.UnixEpoch }, lease);
        try
        {
            await Table.SubmitTransactionAsync([.. chunks.Count > 0 ? chunks[^1] : [], release], ct);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            // The lease expired and was taken: the marks are that dispatcher's to make now.
        }
    }

    /// <summary>
    /// Deletes the events sent before <paramref name="before"/> (the retention of the outbox): a
    /// scan like the sweep's. The record's row keeps counting, so no number is used twice.
    /// </summary>
    public async Task<int> DeleteSentBeforeAsync(DateTimeOffset before, Func<Task> afterWrite, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter(
            $"RowKey gt {OutboxRows.LeaseRow} and RowKey lt {OutboxRows.End} and Pending eq {false} and SentAt lt {before}");
        return await TableBatches.DeleteAllAsync(Table, filter, afterWrite, ct);
    }

    /// <summary>
    /// Records with an event still undelivered <paramref name="olderThan"/> after it was written:
    /// a scan of the table, which the timer sweep pays rarely, instead of an index every change pays.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeftBehindAsync(TimeSpan olderThan, int limit, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var cutoff = clock.GetUtcNow() - olderThan;
        var filter = TableClient.CreateQueryFilter(
            $"RowKey gt {OutboxRows.LeaseRow} and RowKey lt {OutboxRows.End} and Pending eq {true} and At lt {cutoff}");
        var ids = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: ct))
        {
            if (ids.Count == 0 || ids[^1] != row.PartitionKey)
            {
                ids.Add(row.PartitionKey);
                if (ids.Count >= limit)
                {
                    break;
                }
            }
        }
        return ids;
    }
}
