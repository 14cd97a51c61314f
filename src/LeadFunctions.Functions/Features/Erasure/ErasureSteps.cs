using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;
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
    ErasureRows rows,
    LeadStore leads,
    DirectoryStore directory,
    MergeStore journal,
    IngestQueue ingest,
    OutboxQueue outbox,
    OutboxWriter events,
    Domain.Matching.PhoneNumbers phones,
    TimeProvider clock)
{
    /// <param name="actor">Who asked for the erasure: its events and log entries are theirs.</param>
    public async Task RunAsync(string erasureId, ErasureOp op, IReadOnlySet<string> values, Actor actor, CancellationToken ct)
    {
        switch (op)
        {
            case DeleteRow d:
                await rows.DeleteAsync(d.Table, d.PartitionKey, d.RowKey, ct);
                break;
            case ScrubRow { TheirsOnly: true } s:
                var identifying = PersonalData.Identifying(values, phones);
                await rows.RewriteAsync(s.Table, s.PartitionKey, s.RowKey, node => PersonalData.ScrubTheirs(node, identifying, values), ct);
                break;
            case ScrubRow s:
                await rows.RewriteAsync(s.Table, s.PartitionKey, s.RowKey, node => PersonalData.Scrub(node, values), ct);
                break;
            case EraseRecord e:
                await EraseRecordAsync(e, actor, ct);
                break;
            case DropMergedRecord m:
                await rows.RewriteAsync(StorageNames.LeadsTable, m.LeadId, m.RowKey, node =>
                {
                    var removed = node["data"]?["records"]?.AsObject().Remove(m.ErasedId) == true;
                    return PersonalData.Scrub(node, values) | removed;
                }, ct);
                break;
            case CleanSurvivor c:
                await CleanSurvivorAsync(erasureId, c, actor, ct);
                break;
            case CopyRows r:
                await rows.CopyRowsAsync(r.LeadId, r.Rows, ct);
                break;
            case RestoreMerged r:
                await RestoreMergedAsync(erasureId, r, actor, ct);
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

    /// <summary>
    /// The record's row becomes a stub and its lead.erased event (ids only) is written beside it,
    /// in one transaction, numbered after the record's last event. Its data is the id and the actor
    /// (who asked: an operator, whose name is not the erased person's data).
    /// </summary>
    private async Task EraseRecordAsync(EraseRecord e, Actor actor, CancellationToken ct)
    {
        var cloudEvent = EventEnvelope.Create(events.Source, LeadEventTypes.Erased, e.LeadId, e.EventId, clock.GetUtcNow(), new JsonObject { ["id"] = e.LeadId }, actor);
        await rows.WriteStubAsync(e.LeadId, e.LastSequence, cloudEvent, ct);
        await outbox.TryWakeAsync(e.LeadId, ct);
    }

    private Task CleanSurvivorAsync(string erasureId, CleanSurvivor c, Actor actor, CancellationToken ct) =>
        RewriteRecordAsync(c.LeadId, c.EntryId, erasureId, actor, LogKind.Updated,
            "The values this record took from a merged record were removed: that record's person asked to be erased.",
            current =>
            {
                var cleaned = PersonalData.WithoutContributionOf(current, c.Before, c.Erased);
                return JsonRow.Serialize(cleaned) == JsonRow.Serialize(current) ? null : cleaned;
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

    private Task RestoreMergedAsync(string erasureId, RestoreMerged r, Actor actor, CancellationToken ct) =>
        RewriteRecordAsync(r.LeadId, r.EntryId, erasureId, actor, LogKind.Restored,
            "Back as it was before its merge: the record it was merged into belonged to a person who asked to be erased.",
            current => current.Status == LeadStatus.Merged && current.MergedInto == r.ErasedSurvivorId ? r.Image.Clone() : null, ct);

    /// <summary>
    /// Writes what <paramref name="change"/> makes of the record (null: nothing to do, or done
    /// already), with its log entry under the id the plan fixed, so that a step run twice writes once.
    /// </summary>
    private async Task RewriteRecordAsync(string leadId, string entryId, string erasureId, Actor actor, LogKind kind, string message,
        Func<Lead, Lead?> change, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            if (await leads.ReadAsync(leadId, ct) is not { } row || change(row.ToLead()) is not { } changed)
            {
                return;
            }
            changed.UpdatedAt = clock.GetUtcNow();
            var entry = LogEntries.New(leadId, changed.UpdatedAt, kind, message, new JsonObject { ["erasureId"] = erasureId }, actor);
            entry.Id = entryId;
            // Not a person acting on the record: a capture stays anonymous.
            await leads.UpdateAsync(changed, row, [entry], ct, byPerson: false);
            await outbox.TryWakeAsync(leadId, ct);
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
