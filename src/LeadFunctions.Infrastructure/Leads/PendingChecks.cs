using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// The records whose duplicate check is still pending, as the ingest sweep reads them, in id
/// order from where its last run left off (kept in the directory table), and how often the sweep
/// queued each one again.
/// </summary>
public sealed class PendingChecks(StorageClients clients)
{
    private const string SweepPartition = "sweep";
    private const string SweepRow = "pending";
    private const string FromColumn = "From";

    /// <summary>The id the next run starts at ("" before the first).</summary>
    public async Task<string> StartAsync(CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var state = await clients.Directory.GetEntityIfExistsAsync<TableEntity>(SweepPartition, SweepRow, cancellationToken: ct);
        return state.HasValue ? state.Value!.GetString(FromColumn) ?? "" : "";
    }

    public Task SaveStartAsync(string from, CancellationToken ct) =>
        clients.Directory.UpsertEntityAsync(new TableEntity(SweepPartition, SweepRow) { [FromColumn] = from }, TableUpdateMode.Replace, ct);

    /// <summary>Pending records with ids from <paramref name="from"/> up to (not including) <paramref name="upTo"/>, in id order, at most <paramref name="max"/>.</summary>
    public async Task<List<StoredLead>> FindAsync(string from, string upTo, int max, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {from} and PartitionKey lt {upTo} and RowKey eq {StorageNames.LeadRow} and Check eq {LeadRows.Wire(DuplicateCheckStatus.Pending)}");
        var pending = new List<StoredLead>();
        await foreach (var row in clients.Leads.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            pending.Add(new StoredLead(row));
            if (pending.Count == max)
            {
                break;
            }
        }
        return pending;
    }

    /// <summary>How often the sweep queued the record's check again.</summary>
    public static int RechecksOf(StoredLead row) => row.Entity.GetInt32(LeadRows.RechecksColumn) ?? 0;

    /// <summary>When the record's row was last written.</summary>
    public static DateTimeOffset? WrittenAt(StoredLead row) => row.Entity.Timestamp;

    /// <summary>
    /// Counts one more queueing on the record, if it is still as read (a write, so the next run
    /// waits RecheckAfter); returns it at its new version, or null when it changed meanwhile.
    /// </summary>
    public async Task<StoredLead?> CountRecheckAsync(StoredLead row, CancellationToken ct)
    {
        try
        {
            var response = await clients.Leads.UpdateEntityAsync(new TableEntity(row.Id, StorageNames.LeadRow)
            {
                [LeadRows.RechecksColumn] = RechecksOf(row) + 1,
            }, row.ETag, TableUpdateMode.Merge, ct);
            return row.At(response.Headers.ETag ?? row.ETag);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }
}
