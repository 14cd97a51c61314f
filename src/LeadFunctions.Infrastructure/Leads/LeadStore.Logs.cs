using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>Log rows of a record as read whole (every column), to move them to another record's partition.</summary>
public sealed class StoredLog
{
    internal StoredLog(IReadOnlyList<TableEntity> rows) => Rows = rows;

    internal IReadOnlyList<TableEntity> Rows { get; }

    public IEnumerable<string> Keys => Rows.Select(r => r.RowKey);

    public int Count => Rows.Count;

    /// <summary>The rows with these keys (those a merge moved, say).</summary>
    public StoredLog Only(IReadOnlySet<string> keys) => new([.. Rows.Where(r => keys.Contains(r.RowKey))]);
}

/// <summary>A record's log, and the pairs dismissed beside its edges.</summary>
public sealed partial class LeadStore
{
    public async Task<Page<LogEntry>> LogAsync(string id, int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        return await TablePages.ReadAsync(Table, LogFilter(id), pageSize, continuationToken, JsonRow.Read<LogEntry>, ct);
    }

    /// <summary>One entry of the record's log; null when there is none (or it moved with a merge).</summary>
    public async Task<LogEntry?> FindLogAsync(string id, string entryId, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id) || !Ids.IsWellFormed(entryId))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(id, StorageNames.LogPrefix + Ids.Descending(entryId), cancellationToken: ct);
        return row.HasValue ? JsonRow.Read<LogEntry>(row.Value!) : null;
    }

    /// <summary>Adds a log entry if the record is still as <paramref name="row"/> was read (and moves its version on).</summary>
    public async Task AddLogAsync(LogEntry entry, StoredLead row, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        try
        {
            await Table.SubmitTransactionAsync(
            [
                // A note is a person acting on the record: a capture is anonymous no longer.
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, row.Anonymous
                    ? new TableEntity(entry.LeadId, StorageNames.LeadRow) { [LeadRows.AnonymousColumn] = false }
                    : new TableEntity(entry.LeadId, StorageNames.LeadRow), row.ETag),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, LeadRows.Log(entry)),
            ], ct);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404 && e.FailedTransactionActionIndex == 0)
        {
            throw new ConcurrencyException(entry.LeadId);
        }
    }

    public async Task<StoredLog> LogRowsAsync(string id, CancellationToken ct) =>
        new(await Table.QueryAsync<TableEntity>(LogFilter(id), cancellationToken: ct).ToListAsync(ct));

    /// <summary>Copies log rows into another record's partition (upserts: a second run writes the same).</summary>
    public Task CopyRowsAsync(string toId, StoredLog log, CancellationToken ct)
    {
        var copies = log.Rows.Select(r =>
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

    /// <summary>Deletes the rows of <paramref name="log"/> from a record's partition; rows already gone are fine.</summary>
    public async Task DeleteRowsAsync(string id, StoredLog log, CancellationToken ct)
    {
        var deletes = log.Rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(id, r.RowKey), ETag.All)).ToList();
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

    /// <summary>Marks the pair as not duplicates on both sides and drops its edges (the records' checks recount them).</summary>
    public async Task DismissAsync(string id, string otherId, CancellationToken ct)
    {
        await Task.WhenAll(UpsertAsync(LeadRows.Dismissal(id, otherId), ct), UpsertAsync(LeadRows.Dismissal(otherId, id), ct));
        await Task.WhenAll(
            DeleteIfExistsAsync(id, StorageNames.EdgePrefix + otherId, ct),
            DeleteIfExistsAsync(otherId, StorageNames.EdgePrefix + id, ct));
    }

    private static string LogFilter(string id) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {id} and RowKey ge {StorageNames.LogPrefix} and RowKey lt {TableKeys.PrefixEnd(StorageNames.LogPrefix)}");
}
