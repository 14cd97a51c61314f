using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Events;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Erasures;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Erasure;

/// <summary>
/// Runs one step of an erasure's plan. Each step checks what is already done, so a step run twice
/// (the run died after it, before its index was saved) ends the same.
/// </summary>
public sealed class ErasureSteps(
    StorageClients clients,
    LeadStore leads,
    DirectoryStore directory,
    MergeStore journal,
    IngestQueue ingest,
    OutboxQueue outbox,
    OutboxWriter events,
    Domain.Matching.PhoneNumbers phones,
    TimeProvider clock)
{
    public async Task RunAsync(string erasureId, ErasureOp op, IReadOnlySet<string> values, CancellationToken ct)
    {
        switch (op)
        {
            case DeleteRow d:
                await DeleteAsync(Table(d.Table), d.PartitionKey, d.RowKey, ct);
                break;
            case ScrubRow { TheirsOnly: true } s:
                var identifying = PersonalData.Identifying(values, phones);
                await RewriteAsync(Table(s.Table), s.PartitionKey, s.RowKey, node => PersonalData.ScrubTheirs(node, identifying, values), ct);
                break;
            case ScrubRow s:
                await RewriteAsync(Table(s.Table), s.PartitionKey, s.RowKey, node => PersonalData.Scrub(node, values), ct);
                break;
            case EraseRecord e:
                await EraseRecordAsync(e, ct);
                break;
            case DropMergedRecord m:
                await RewriteAsync(clients.Leads, m.LeadId, m.RowKey, node =>
                {
                    var removed = node["data"]?["records"]?.AsObject().Remove(m.ErasedId) == true;
                    return PersonalData.Scrub(node, values) | removed;
                }, ct);
                break;
            case CleanSurvivor c:
                await CleanSurvivorAsync(erasureId, c, ct);
                break;
            case CopyRows r:
                await clients.Leads.SubmitTransactionAsync(r.Rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    JsonRow.CreateFromJson(r.LeadId, row.RowKey, row.Json))), ct);
                break;
            case RestoreMerged r:
                await RestoreMergedAsync(erasureId, r, ct);
                break;
            case EraseMerge m:
                await EraseMergeAsync(m.MergeId, ct);
                break;
            case CleanCustomer c:
                await CleanCustomerAsync(c.CustomerId, values, ct);
                break;
            case Recheck r:
                await ingest.CheckAsync([r.LeadId], ct);
                break;
            default:
                throw new InvalidDataException($"Unknown erasure step {op.GetType().Name}.");
        }
    }

    private TableClient Table(string name) => name switch
    {
        StorageNames.LeadsTable => clients.Leads,
        StorageNames.IndexTable => clients.Index,
        StorageNames.ListTable => clients.List,
        StorageNames.DirectoryTable => clients.Directory,
        StorageNames.CaptureTable => clients.Capture,
        StorageNames.WebhooksTable => clients.Webhooks,
        StorageNames.ImportsTable => clients.Imports,
        StorageNames.MergesTable => clients.Merges,
        _ => throw new InvalidDataException($"An erasure step names the unknown table '{name}'."),
    };

    private static async Task DeleteAsync(TableClient table, string partitionKey, string rowKey, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Rewrites a JSON row if the change finds anything to do, conditional on the version read.</summary>
    private static async Task RewriteAsync(TableClient table, string partitionKey, string rowKey, Func<JsonNode, bool> change, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            var read = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: ct);
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
            await table.UpdateEntityAsync(rewritten, row.ETag, TableUpdateMode.Merge, ct);
        }, ct, conflict: e => e is RequestFailedException { Status: 404 or 412 });

    /// <summary>
    /// The record's row becomes a stub (no data, status erased) and its lead.erased event (ids
    /// only) is written beside it, in one transaction, numbered after the record's last event.
    /// </summary>
    private async Task EraseRecordAsync(EraseRecord e, CancellationToken ct)
    {
        var sequence = e.LastSequence + 1;
        var stub = new TableEntity(e.LeadId, StorageNames.LeadRow)
        {
            ["Status"] = LeadRows.ErasedStatus,
            [OutboxRows.SequenceColumn] = sequence,
        };
        var now = clock.GetUtcNow();
        var cloudEvent = EventEnvelope.Create(events.Source, LeadEventTypes.Erased, e.LeadId, e.EventId, now, new JsonObject { ["id"] = e.LeadId });
        await clients.Leads.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, stub),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutboxRows.Row(e.LeadId, sequence, cloudEvent)),
        ], ct);
        await outbox.TryWakeAsync(e.LeadId, ct);
    }

    private async Task CleanSurvivorAsync(string erasureId, CleanSurvivor c, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            if (await leads.ReadAsync(c.LeadId, ct) is not { } row)
            {
                return;
            }
            var current = row.ToLead();
            var cleaned = PersonalData.WithoutContributionOf(current, c.Before, c.Erased);
            if (JsonRow.Serialize(cleaned) == JsonRow.Serialize(current))
            {
                return;
            }
            cleaned.UpdatedAt = clock.GetUtcNow();
            var entry = LogEntries.New(c.LeadId, cleaned.UpdatedAt, LogKind.Updated,
                "The values this record took from a merged record were removed: that record's person asked to be erased.",
                new JsonObject { ["erasureId"] = erasureId });
            entry.Id = c.EntryId;
            await leads.UpdateAsync(cleaned, row, [entry], ct);
            await outbox.TryWakeAsync(c.LeadId, ct);
        }, ct);

    private async Task CleanCustomerAsync(string customerId, IReadOnlySet<string> values, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            if (await directory.FindVersionedAsync<Customer>(customerId, ct) is not { } found)
            {
                return;
            }
            var (customer, version) = found;
            var cleaned = PersonalData.WithoutContactOf(customer, values, phones);
            if (JsonRow.Serialize(cleaned) == JsonRow.Serialize(customer))
            {
                return;
            }
            await directory.ReplaceAsync(customerId, cleaned, version, ct);
        }, ct);

    private async Task RestoreMergedAsync(string erasureId, RestoreMerged r, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            if (await leads.ReadAsync(r.LeadId, ct) is not { } row)
            {
                return;
            }
            var current = row.ToLead();
            if (current.Status != LeadStatus.Merged || current.MergedInto != r.ErasedSurvivorId)
            {
                return;
            }
            var image = r.Image.Clone();
            image.UpdatedAt = clock.GetUtcNow();
            var entry = LogEntries.New(r.LeadId, image.UpdatedAt, LogKind.Restored,
                "Back as it was before its merge: the record it was merged into belonged to a person who asked to be erased.",
                new JsonObject { ["erasureId"] = erasureId });
            entry.Id = r.EntryId;
            await leads.UpdateAsync(image, row, [entry], ct);
            await outbox.TryWakeAsync(r.LeadId, ct);
        }, ct);

    /// <summary>The merge can no longer be undone (said first), then its images of the records go.</summary>
    private async Task EraseMergeAsync(string mergeId, CancellationToken ct)
    {
        var exists = await Retry.OnConflictAsync(async ct =>
        {
            if (await journal.FindAsync(mergeId, ct) is not { } found)
            {
                return false;
            }
            var (record, version) = found;
            if (record.ErasedAt is null)
            {
                record.ErasedAt = clock.GetUtcNow();
                await journal.UpdateAsync(record, version, ct);
            }
            return true;
        }, ct);
        if (exists)
        {
            await journal.DeleteImagesAsync(mergeId, () => Task.CompletedTask, ct);
        }
    }
}
