using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// Reads and writes leads, their logs and their similar-record edges in the leads table; a write
/// whose log entries announce events stores them in the record's outbox in the same transaction.
/// </summary>
public sealed class LeadStore(StorageClients clients, LeadList list, OutboxWriter? outbox = null)
{
    private TableClient Table => clients.Leads;

    public OutboxWriter Outbox { get; } = outbox ?? OutboxWriter.Default;

    public async Task<Lead?> FindAsync(string id, CancellationToken ct)
    {
        var row = await FindRowAsync(id, ct);
        return row is null ? null : LeadRows.ToLead(row);
    }

    public async Task<TableEntity?> FindRowAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(id, StorageNames.LeadRow, cancellationToken: ct);
        return response.HasValue && !LeadRows.IsErased(response.Value!) ? response.Value : null;
    }

    /// <summary>The record with its edges and dismissals, in one request.</summary>
    public async Task<LeadHead?> ReadHeadAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        TableEntity? leadRow = null;
        var edges = new List<SimilarRecord>();
        var dismissed = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey lt {StorageNames.SimilarRangeEnd}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            if (row.RowKey == StorageNames.LeadRow)
            {
                leadRow = row;
            }
            else if (row.RowKey.StartsWith(StorageNames.EdgePrefix, StringComparison.Ordinal))
            {
                edges.Add(JsonRow.Read<SimilarRecord>(row));
            }
            else if (row.RowKey.StartsWith(StorageNames.DismissedPrefix, StringComparison.Ordinal))
            {
                dismissed.Add(row.RowKey[StorageNames.DismissedPrefix.Length..]);
            }
        }
        return leadRow is null || LeadRows.IsErased(leadRow) ? null : new LeadHead(LeadRows.ToLead(leadRow), leadRow, edges, dismissed);
    }

    /// <summary>
    /// Stores a new record with its first log entries, all or nothing, and lists it when
    /// <paramref name="listNow"/> (else its first check lists it: capture keeps its request path short).
    /// </summary>
    /// <returns>False when a record with this id exists already.</returns>
    public async Task<bool> InsertAsync(Lead lead, IEnumerable<LogEntry> logs, CancellationToken ct, bool listNow = false)
    {
        await clients.EnsureCreatedAsync();
        var entity = LeadRows.ToEntity(lead, before: null);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, entity) };
        actions.AddRange(LogActions(entity, lead, logs, before: null));
        try
        {
            var response = await Table.SubmitTransactionAsync(actions, ct);
            var version = response.Value[0].Headers.ETag ?? ETag.All;
            lead.Version = version.ToString();
            if (listNow)
            {
                await list.ProjectAsync(entity, version, null, ct);
            }
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 0)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes a changed record and its new log entries in one transaction, only if the record is
    /// still at <paramref name="etag"/>, then lists it as it is now (<paramref name="before"/>, the
    /// row as read, tells the partitions it leaves).
    /// </summary>
    /// <exception cref="ConcurrencyException">The record changed (or vanished) since it was read.</exception>
    public async Task UpdateAsync(Lead lead, TableEntity before, ETag etag, IEnumerable<LogEntry> logs, CancellationToken ct,
        bool releaseLock = false, bool clearIntent = false)
    {
        var entity = LeadRows.ToEntity(lead, before, releaseLock: releaseLock, clearIntent: clearIntent);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, entity, etag) };
        actions.AddRange(LogActions(entity, lead, logs, before));
        ETag version;
        try
        {
            var response = await Table.SubmitTransactionAsync(actions, ct);
            version = response.Value[0].Headers.ETag ?? ETag.All;
            lead.Version = version.ToString();
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404 && e.FailedTransactionActionIndex == 0)
        {
            throw new ConcurrencyException(lead.Id);
        }
        await list.ProjectAsync(entity, version, before, ct);
    }

    /// <summary>
    /// The log rows of a change and the outbox rows of the events they announce, for the change's
    /// own transaction, which writes <paramref name="record"/> over <paramref name="before"/>.
    /// </summary>
    public List<TableTransactionAction> LogActions(TableEntity record, Lead lead, IEnumerable<LogEntry> logs, TableEntity? before)
    {
        var entries = logs.ToList();
        return [.. entries.Select(l => new TableTransactionAction(TableTransactionActionType.UpsertReplace, LeadRows.Log(l))),
            .. Outbox.ActionsFor(lead, entries, record, before)];
    }

    /// <summary>Sets one column of the record's row if it is still at <paramref name="etag"/>; returns the new ETag.</summary>
    public Task<ETag> SetColumnAsync(string id, string column, string value, ETag etag, CancellationToken ct) =>
        SetColumnsAsync(id, etag, ct, (column, value));

    private async Task<ETag> SetColumnsAsync(string id, ETag etag, CancellationToken ct, params (string Column, object Value)[] columns)
    {
        var entity = new TableEntity(id, StorageNames.LeadRow);
        foreach (var (column, value) in columns)
        {
            entity[column] = value;
        }
        try
        {
            var response = await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Merge, ct);
            return response.Headers.ETag ?? throw new InvalidOperationException("Storage answered without an ETag.");
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new ConcurrencyException(id);
        }
    }

    /// <summary>Records the match keys a record is (about to be) indexed under; returns the new ETag.</summary>
    public Task<ETag> SetIndexedKeysAsync(string id, IReadOnlyList<MatchKey> keys, ETag etag, CancellationToken ct) =>
        SetColumnAsync(id, LeadRows.IndexedKeysColumn, LeadRows.IndexedKeysValue(keys), etag, ct);

    /// <summary>Marks the record as held by a merge, if it is still as <paramref name="row"/> was read; returns the new ETag.</summary>
    public Task<ETag> LockAsync(TableEntity row, string mergeId, CancellationToken ct) => SetHoldAsync(row, mergeId, ct);

    /// <summary>Releases the record if <paramref name="mergeId"/> still holds it; data untouched.</summary>
    public async Task UnlockAsync(string id, string mergeId, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            var row = await FindRowAsync(id, ct);
            if (row is null || LeadRows.MergeLockOf(row) != mergeId)
            {
                return;
            }
            await SetHoldAsync(row, "", ct);
        }, ct);

    /// <summary>
    /// Sets (or clears) a merge's hold on the record if it is still as <paramref name="row"/> was
    /// read, and on its listed copies: lists show the hold, so it is a new revision.
    /// </summary>
    private async Task<ETag> SetHoldAsync(TableEntity row, string hold, CancellationToken ct)
    {
        var revision = LeadRows.RevisionOf(row) + 1;
        var version = await SetColumnsAsync(row.PartitionKey, row.ETag, ct, (LeadRows.MergeLockColumn, hold), (LeadRows.RevisionColumn, revision));
        var held = new TableEntity(row) { [LeadRows.MergeLockColumn] = hold, [LeadRows.RevisionColumn] = revision };
        await list.HoldAsync(held, version, ct);
        return version;
    }

    /// <summary>Every row of a record's partition: its row, log, edges, marks and events.</summary>
    public async Task<List<TableEntity>> PartitionRowsAsync(string id, CancellationToken ct) =>
        await Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken: ct).ToListAsync(ct);

    /// <summary>The log rows of a record, whole (every column), for moving them to another partition.</summary>
    public async Task<List<TableEntity>> LogRowsAsync(string id, CancellationToken ct)
    {
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {id} and RowKey ge {StorageNames.LogPrefix} and RowKey lt {TableKeys.PrefixEnd(StorageNames.LogPrefix)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Copies log rows into another record's partition (upserts: a second run writes the same).</summary>
    public Task CopyRowsAsync(string toId, IEnumerable<TableEntity> rows, CancellationToken ct)
    {
        var copies = rows.Select(r =>
        {
            var copy = new TableEntity(toId, r.RowKey);
            foreach (var (name, value) in r.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
            {
                copy[name] = value;
            }
            return new TableTransactionAction(TableTransactionActionType.UpsertReplace, copy);
        }).ToList();
        return SubmitAsync(copies, ct);
    }

    /// <summary>Deletes rows that exist; rows already gone are fine.</summary>
    public async Task DeleteRowsAsync(string id, IEnumerable<TableEntity> rows, CancellationToken ct)
    {
        var deletes = rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(id, r.RowKey), ETag.All)).ToList();
        foreach (var chunk in deletes.Chunk(100))
        {
            try
            {
                await Table.SubmitTransactionAsync(chunk, ct);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                await Task.WhenAll(chunk.Select(a => DeleteIfExistsAsync(id, a.Entity.RowKey, ct)));
            }
        }
    }

    /// <summary>Adds a log entry if the record is still at <paramref name="etag"/> (and moves its version on).</summary>
    public async Task AddLogAsync(LogEntry entry, ETag etag, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(entry.LeadId, StorageNames.LeadRow), etag),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, LeadRows.Log(entry)),
            ], ct);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404 && e.FailedTransactionActionIndex == 0)
        {
            throw new ConcurrencyException(entry.LeadId);
        }
    }

    public async Task<Page<Lead>> ListAsync(LeadQuery query, int pageSize, string? continuationToken, CancellationToken ct)
    {
        var page = await ListRowsAsync(query, pageSize, continuationToken, ct);
        return new Page<Lead>([.. page.Items.Select(LeadRows.ToLead)], page.ContinuationToken);
    }

    /// <summary>The rows of GET /leads (from the list projection), for callers that look at more than the record (a merge's hold).</summary>
    public Task<Page<TableEntity>> ListRowsAsync(LeadQuery query, int pageSize, string? continuationToken, CancellationToken ct) =>
        list.PageAsync(query, pageSize, continuationToken, ct);

    /// <summary>
    /// Every record row that is not merged, from the leads table itself (a scan: for background
    /// passes such as the rule sweep, which also lists records the projection may not hold yet).
    /// </summary>
    public async Task<Page<TableEntity>> ScanRowsAsync(int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow} and Status ne {LeadRows.Wire(LeadStatus.Merged)} and Status ne {LeadRows.ErasedStatus}");
        return await TablePages.ReadAsync(Table, filter, pageSize, continuationToken, row => row, ct);
    }

    /// <summary>Lists records as their rows are now (a sweep's repair of the projection).</summary>
    public Task ListAsync(IEnumerable<TableEntity> rows, CancellationToken ct) =>
        list.ProjectAsync(rows.Select(row => new LeadList.Listing(row, row.ETag, [])), ct);

    public async Task<Page<LogEntry>> LogAsync(string id, int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {id} and RowKey ge {StorageNames.LogPrefix} and RowKey lt {TableKeys.PrefixEnd(StorageNames.LogPrefix)}");
        return await TablePages.ReadAsync(Table, filter, pageSize, continuationToken, JsonRow.Read<LogEntry>, ct);
    }

    public Task UpsertAsync(TableEntity row, CancellationToken ct) => Table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);

    public async Task DeleteIfExistsAsync(string partitionKey, string rowKey, CancellationToken ct)
    {
        try
        {
            await Table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Upserts rows of one partition in transactions of at most 100 (the Table limit).</summary>
    public async Task SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken ct)
    {
        foreach (var chunk in actions.Chunk(100))
        {
            await Table.SubmitTransactionAsync(chunk, ct);
        }
    }
}
