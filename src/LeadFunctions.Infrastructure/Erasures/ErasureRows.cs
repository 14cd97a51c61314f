using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Messaging;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Erasures;

/// <summary>
/// The rows an erasure's plan names, in whichever table a step names (by its
/// <see cref="StorageNames"/> name, as the plan stores it): the keys the planner looks for, and
/// the writes of its steps. What to delete or scrub is the planner's and the steps' to say.
/// </summary>
public sealed class ErasureRows(StorageClients clients)
{
    /// <summary>The keys of one partition's rows.</summary>
    public IAsyncEnumerable<(string PartitionKey, string RowKey)> KeysInPartitionAsync(string table, string partitionKey, CancellationToken ct) =>
        KeysAsync(Table(table), TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), ct);

    /// <summary>The keys of the rows, in any partition, whose RowKey is one of <paramref name="rowKeys"/>: one scan of the table.</summary>
    public IAsyncEnumerable<(string PartitionKey, string RowKey)> KeysNamedAsync(string table, IEnumerable<string> rowKeys, CancellationToken ct) =>
        KeysAsync(Table(table), string.Join(" or ", rowKeys.Select(key => TableClient.CreateQueryFilter($"RowKey eq {key}"))), ct);

    /// <summary>Deletes one row whatever its version; gone already is done.</summary>
    public async Task DeleteAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        try
        {
            await Table(table).DeleteEntityAsync(partitionKey, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// Rewrites a JSON row if <paramref name="change"/> finds anything to do (it says so by
    /// returning true), conditional on the version read; a row that is not there is done.
    /// </summary>
    public async Task RewriteAsync(string table, string partitionKey, string rowKey, Func<JsonNode, bool> change, CancellationToken ct)
    {
        var client = Table(table);
        await Retry.OnConflictAsync(async ct =>
        {
            var read = await client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: ct);
            if (!read.HasValue)
            {
                return;
            }
            var row = read.Value!;
            var node = JsonNode.Parse(JsonRow.ReadJson(row));
            if (node is null || !change(node))
            {
                return;
            }
            var rewritten = JsonRow.CreateFromJson(partitionKey, rowKey, node.ToJsonString(JsonRow.StorageOptions));
            // Merge: the row's other columns (Pending, EventType, …) stay.
            await client.UpdateEntityAsync(rewritten, row.ETag, TableUpdateMode.Merge, ct);
        }, ct, conflict: e => e is RequestFailedException { Status: 404 or 412 });
    }

    /// <summary>
    /// The record's row becomes a stub (no data, status erased) and <paramref name="erased"/> is
    /// written beside it, in one transaction, numbered after <paramref name="lastSequence"/>.
    /// </summary>
    public async Task WriteStubAsync(string leadId, long lastSequence, CloudEvent erased, CancellationToken ct)
    {
        var sequence = lastSequence + 1;
        var stub = new TableEntity(leadId, StorageNames.LeadRow)
        {
            ["Status"] = LeadRows.ErasedStatus,
            [OutboxRows.SequenceColumn] = sequence,
        };
        await clients.Leads.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, stub),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutboxRows.Row(leadId, sequence, erased)),
        ], ct);
    }

    /// <summary>Writes rows of a record's partition as they were (at most a transaction's worth).</summary>
    public async Task CopyRowsAsync(string leadId, IEnumerable<MovedRow> rows, CancellationToken ct) =>
        await clients.Leads.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            JsonRow.CreateFromJson(leadId, row.RowKey, row.Json))), ct);

    private static async IAsyncEnumerable<(string PartitionKey, string RowKey)> KeysAsync(TableClient table, string filter,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            yield return (row.PartitionKey, row.RowKey);
        }
    }

    private TableClient Table(string name) => name switch
    {
        StorageNames.LeadsTable => clients.Leads,
        StorageNames.IndexTable => clients.Index,
        StorageNames.ListTable => clients.List,
        StorageNames.DirectoryTable => clients.Directory,
        StorageNames.CaptureTable => clients.Capture,
        StorageNames.IdempotencyTable => clients.Idempotency,
        StorageNames.WebhooksTable => clients.Webhooks,
        StorageNames.ImportsTable => clients.Imports,
        StorageNames.MergesTable => clients.Merges,
        _ => throw new InvalidDataException($"An erasure step names the unknown table '{name}'."),
    };
}
