using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Erasures;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Erasure;

/// <summary>The planner's second half: what other people's rows hold of them (chains of merges, other records, claims, deliveries, import rows).</summary>
public sealed partial class ErasurePlanner
{
    /// <summary>
    /// Their values went on with a survivor cleaned here: into every later merge it took part in
    /// (whose images hold them: that merge can no longer be undone) and into the record it was
    /// merged into in turn, which gives them back as well, and so on down the chain.
    /// </summary>
    /// <returns>False when one of those merges is running: plan again once it is at rest.</returns>
    private async Task<bool> PlanChainsAsync(IReadOnlyList<MergeRecord> all, List<(string SurvivorId, MergeRecord Merge, Lead Erased)> cleanings,
        HashSet<string> handled, HashSet<string> erasing, HashSet<string> others, List<ErasureOp> ops, List<ErasureOp> tail, ErasureCounts counts,
        Func<string> newId, CancellationToken ct)
    {
        var chain = new Queue<(string SurvivorId, MergeRecord Merge, Lead Erased)>(cleanings);
        while (chain.TryDequeue(out var link))
        {
            foreach (var later in all.Where(m => m.ErasedAt is null && m.CreatedAt > link.Merge.CreatedAt && (m.SurvivorId == link.SurvivorId || m.MergedIds.Contains(link.SurvivorId))))
            {
                if (later.State is MergeState.Aborted || !handled.Add(later.Id))
                {
                    continue;
                }
                if (later.State is not (MergeState.Applied or MergeState.Undone))
                {
                    return false;
                }
                tail.Add(new EraseMerge(later.Id));
                counts.Merges++;
                if (later.State is MergeState.Applied && later.SurvivorId != link.SurvivorId && !erasing.Contains(later.SurvivorId)
                    && (await journal.BeforeAsync(later.Id, ct)).TryGetValue(later.SurvivorId, out var before))
                {
                    ops.Add(new CleanSurvivor(later.SurvivorId, before, link.Erased, newId()));
                    counts.SurvivorsCleaned++;
                    others.Add(later.SurvivorId);
                    chain.Enqueue((later.SurvivorId, later, link.Erased));
                }
            }
        }
        return true;
    }

    /// <summary>Their capture claims and idempotency keys: the claim partitions of their emails and phones.</summary>
    private async Task PlanCaptureRowsAsync(IEnumerable<string> contacts, List<ErasureOp> ops, ErasureCounts counts, CancellationToken ct)
    {
        foreach (var contact in contacts)
        {
            foreach (var partition in await guard.PartitionsOfAsync(contact))
            {
                await foreach (var (partitionKey, rowKey) in rows.KeysInPartitionAsync(StorageNames.CaptureTable, partition, ct))
                {
                    ops.Add(new DeleteRow(StorageNames.CaptureTable, partitionKey, rowKey));
                    counts.CaptureRows++;
                }
            }
        }
    }

    /// <summary>
    /// The Idempotency-Key rows of the creates that made their records, customers and notes: a
    /// row holds ids and keyed hashes only, yet it ties the erased record to the request that
    /// made it. One scan of a table that holds a retention's worth of keys. As with capture
    /// claims, a client that retries such a create after the erasure makes the record anew.
    /// </summary>
    private async Task PlanIdempotencyRowsAsync(HashSet<string> ids, List<ErasureOp> ops, ErasureCounts counts, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await foreach (var (partitionKey, rowKey) in idempotencyKeys.NamingAsync(ids, ct))
        {
            ops.Add(new DeleteRow(StorageNames.IdempotencyTable, partitionKey, rowKey));
            counts.IdempotencyKeys++;
        }
    }

    /// <summary>
    /// Another person's record that knew theirs: its edges to them go, its history and events are
    /// cleaned of their values (it is then checked again: its similar records and count).
    /// </summary>
    /// <returns>True when it planned a step.</returns>
    private async Task<bool> PlanOtherRecordAsync(string id, HashSet<string> erasing, HashSet<string> values,
        HashSet<(string, string, string)> planned, List<ErasureOp> ops, ErasureCounts counts, CancellationToken ct)
    {
        var before = ops.Count;
        foreach (var row in await leads.PartitionRowsAsync(id, ct))
        {
            var key = row.RowKey;
            if (planned.Contains((StorageNames.LeadsTable, id, key)))
            {
                continue;
            }
            if (key.StartsWith(StorageNames.EdgePrefix, StringComparison.Ordinal) || key.StartsWith(StorageNames.DismissedPrefix, StringComparison.Ordinal))
            {
                if (erasing.Contains(key[(key.IndexOf('|', StringComparison.Ordinal) + 1)..]))
                {
                    planned.Add((StorageNames.LeadsTable, id, key));
                    ops.Add(new DeleteRow(StorageNames.LeadsTable, id, key));
                    counts.Edges++;
                }
            }
            else if ((key.StartsWith(StorageNames.LogPrefix, StringComparison.Ordinal) || (key.StartsWith(OutboxRows.Prefix, StringComparison.Ordinal) && key != OutboxRows.LeaseRow))
                && Mentions(row.Json, values))
            {
                planned.Add((StorageNames.LeadsTable, id, key));
                // A sent event is history: it goes. A pending one is still told, cleaned.
                if (key.StartsWith(OutboxRows.Prefix, StringComparison.Ordinal) && row.Pending != true)
                {
                    ops.Add(new DeleteRow(StorageNames.LeadsTable, id, key));
                    counts.OutboxRows++;
                }
                else
                {
                    ops.Add(new ScrubRow(StorageNames.LeadsTable, id, key));
                    if (key.StartsWith(StorageNames.LogPrefix, StringComparison.Ordinal))
                    {
                        counts.LogEntries++;
                    }
                    else
                    {
                        counts.OutboxRows++;
                    }
                }
            }
        }
        return ops.Count > before;
    }

    /// <summary>
    /// Webhook deliveries about them, or about a record that knew theirs and carrying their
    /// values; any other delivery or import row only for what names them for sure (their email or
    /// phone): a lead title or a short description elsewhere is most likely someone else's.
    /// </summary>
    private async Task PlanScansAsync(HashSet<string> erasing, HashSet<string> others, Domain.Erasure.ErasureTarget target, HashSet<string> values,
        List<ErasureOp> ops, ErasureCounts counts, CancellationToken ct)
    {
        var identifying = PersonalData.Identifying(values.Concat(new[] { target.Email, target.Phone }.OfType<string>()), phones);
        await foreach (var (partitionKey, rowKey, subject, json) in webhooks.EveryDeliveryAsync(ct))
        {
            if ((subject is not null && erasing.Contains(subject)) || Mentions(json, subject is not null && others.Contains(subject) ? values : identifying))
            {
                ops.Add(new DeleteRow(StorageNames.WebhooksTable, partitionKey, rowKey));
                counts.WebhookDeliveries++;
            }
        }
        await foreach (var (partitionKey, rowKey, json) in imports.EveryRowAsync(ct))
        {
            if (Mentions(json, identifying))
            {
                ops.Add(new ScrubRow(StorageNames.ImportsTable, partitionKey, rowKey, TheirsOnly: true));
                counts.ImportRows++;
            }
        }
    }

    /// <summary>Whether a row's JSON holds one of the values in its text (as the scrubbing step reads it, so that a scrubbed row is found no more).</summary>
    private static bool Mentions(string json, HashSet<string> values) =>
        json.Length > 0 && PersonalData.Mentions(System.Text.Json.Nodes.JsonNode.Parse(json), values);
}
