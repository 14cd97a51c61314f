using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// Reads and writes leads, their logs and their similar-record edges in the leads table; a write
/// whose log entries announce events stores them in the record's outbox in the same transaction.
/// </summary>
public sealed partial class LeadStore(StorageClients clients, LeadList list, OutboxWriter? outbox = null)
{
    private TableClient Table => clients.Leads;

    public OutboxWriter Outbox { get; } = outbox ?? OutboxWriter.Default;

    public async Task<Lead?> FindAsync(string id, CancellationToken ct) => (await ReadAsync(id, ct))?.ToLead();

    /// <summary>The record with its version, for a write conditional on it; null when there is none (or it was erased).</summary>
    public async Task<StoredLead?> ReadAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(id, StorageNames.LeadRow, cancellationToken: ct);
        return response.HasValue && !LeadRows.IsErased(response.Value!) ? new StoredLead(response.Value!) : null;
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
        return leadRow is null || LeadRows.IsErased(leadRow) ? null : new LeadHead(LeadRows.ToLead(leadRow), new StoredLead(leadRow), edges, dismissed);
    }

    /// <summary>
    /// Stores a new record with its first log entries, all or nothing, and lists it when
    /// <paramref name="listNow"/> (else its first check lists it: capture keeps its request path short).
    /// </summary>
    /// <param name="anonymous">A capture's: no person has acted on it yet (<see cref="LeadRows.AnonymousColumn"/>).</param>
    /// <returns>False when a record with this id exists already.</returns>
    public async Task<bool> InsertAsync(Lead lead, IEnumerable<LogEntry> logs, CancellationToken ct, bool listNow = false, bool anonymous = false)
    {
        await clients.EnsureCreatedAsync();
        var entity = LeadRows.ToEntity(lead, before: null);
        if (anonymous)
        {
            entity[LeadRows.AnonymousColumn] = true;
        }
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
    /// still as <paramref name="before"/> was read, then lists it as it is now (<paramref name="before"/>
    /// also tells the partitions it leaves).
    /// </summary>
    /// <param name="byPerson">A person's change (every one but the check's own bookkeeping): the record is no longer anonymous.</param>
    /// <exception cref="ConcurrencyException">The record changed (or vanished) since it was read.</exception>
    public async Task UpdateAsync(Lead lead, StoredLead before, IEnumerable<LogEntry> logs, CancellationToken ct,
        bool releaseLock = false, bool clearIntent = false, bool byPerson = true)
    {
        var entity = LeadRows.ToEntity(lead, before.Entity, releaseLock: releaseLock, clearIntent: clearIntent);
        if (byPerson && before.Anonymous)
        {
            entity[LeadRows.AnonymousColumn] = false;
        }
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, entity, before.ETag) };
        actions.AddRange(LogActions(entity, lead, logs, before.Entity));
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
        await list.ProjectAsync(entity, version, before.Entity, ct);
    }

    /// <summary>
    /// The log rows of a change and the outbox rows of the events they announce, for the change's
    /// own transaction, which writes <paramref name="record"/> over <paramref name="before"/>.
    /// </summary>
    internal List<TableTransactionAction> LogActions(TableEntity record, Lead lead, IEnumerable<LogEntry> logs, TableEntity? before)
    {
        var entries = logs.ToList();
        return [.. entries.Select(l => new TableTransactionAction(TableTransactionActionType.UpsertReplace, LeadRows.Log(l))),
            .. Outbox.ActionsFor(lead, entries, record, before)];
    }

    /// <summary>
    /// Records the match keys a record is (about to be) indexed under, if it is still as
    /// <paramref name="row"/> was read; returns it at its new version.
    /// </summary>
    /// <param name="anonymousRows">Rows of the anonymous form are about to be written too.</param>
    public async Task<StoredLead> SetIndexedKeysAsync(StoredLead row, IReadOnlyList<MatchKey> keys, bool anonymousRows, CancellationToken ct)
    {
        (string, object) indexed = (LeadRows.IndexedKeysColumn, LeadRows.IndexedKeysValue(keys));
        var version = anonymousRows
            ? await SetColumnsAsync(row.Id, row.ETag, ct, indexed, (LeadRows.IndexedAnonymousColumn, true))
            : await SetColumnsAsync(row.Id, row.ETag, ct, indexed);
        var at = row.At(version);
        if (anonymousRows)
        {
            at.Entity[LeadRows.IndexedAnonymousColumn] = true;
        }
        return at;
    }

    /// <summary>Marks (or, with null, unmarks) a merge-then-convert under way from the record, if it is still as read.</summary>
    public async Task<StoredLead> SetPendingConversionAsync(StoredLead row, PendingConversion? pending, CancellationToken ct) =>
        row.At(await SetColumnsAsync(row.Id, row.ETag, ct, (LeadRows.PendingConversionColumn, pending is null ? "" : JsonRow.Serialize(pending))));

    /// <summary>Writes the customers a conversion will create, if the record is still as read.</summary>
    public async Task<StoredLead> SetConversionIntentAsync(StoredLead row, IReadOnlyList<Customer> customers, CancellationToken ct) =>
        row.At(await SetColumnsAsync(row.Id, row.ETag, ct, (LeadRows.ConversionIntentColumn, JsonRow.Serialize(customers))));

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

    /// <summary>Marks the record as held by a merge, if it is still as <paramref name="row"/> was read.</summary>
    public Task LockAsync(StoredLead row, string mergeId, CancellationToken ct) => SetHoldAsync(row.Entity, mergeId, ct);

    /// <summary>Releases the record if <paramref name="mergeId"/> still holds it; data untouched.</summary>
    public async Task UnlockAsync(string id, string mergeId, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            var row = await ReadAsync(id, ct);
            if (row is null || row.MergeLock != mergeId)
            {
                return;
            }
            await SetHoldAsync(row.Entity, "", ct);
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
    public async Task<List<PartitionRow>> PartitionRowsAsync(string id, CancellationToken ct) =>
        await Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken: ct)
            .Select(row => new PartitionRow(row.RowKey, JsonRow.ReadJson(row), row.GetString(OutboxRows.TypeColumn), row.GetBoolean(OutboxRows.PendingColumn)))
            .ToListAsync(ct);

    public async Task<Page<Lead>> ListAsync(LeadQuery query, int pageSize, string? continuationToken, CancellationToken ct)
    {
        var page = await list.PageAsync(query, pageSize, continuationToken, ct);
        return new Page<Lead>([.. page.Items.Select(LeadRows.ToLead)], page.ContinuationToken);
    }

    /// <summary>The records of GET /leads (from the list projection), for callers that look at more than the record (a merge's hold).</summary>
    public async Task<Page<StoredLead>> ListStoredAsync(LeadQuery query, int pageSize, string? continuationToken, CancellationToken ct)
    {
        var page = await list.PageAsync(query, pageSize, continuationToken, ct);
        return new Page<StoredLead>([.. page.Items.Select(row => new StoredLead(row))], page.ContinuationToken);
    }

    /// <summary>
    /// Every record row that is not merged, from the leads table itself (a scan: for background
    /// passes such as the rule sweep, which also lists records the projection may not hold yet).
    /// </summary>
    public async Task<Page<StoredLead>> ScanAsync(int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow} and Status ne {LeadRows.Wire(LeadStatus.Merged)} and Status ne {LeadRows.ErasedStatus}");
        return await TablePages.ReadAsync(Table, filter, pageSize, continuationToken, row => new StoredLead(row), ct);
    }

    /// <summary>Lists records as their rows are now (a sweep's repair of the projection).</summary>
    public Task ListAsync(IEnumerable<StoredLead> rows, CancellationToken ct) =>
        list.ProjectAsync(rows.Select(LeadList.Listing.Of), ct);

    internal Task UpsertAsync(TableEntity row, CancellationToken ct) => Table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);

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
