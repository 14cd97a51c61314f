using LeadFunctions.Domain;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Erasures;
using LeadFunctions.Infrastructure.Imports;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.Infrastructure.Webhooks;

namespace LeadFunctions.Functions.Features.Erasure;

/// <summary>A round's plan, what it counts, the values its scrubbing steps look for, and the other records it looked through.</summary>
public sealed record ErasurePlan(IReadOnlyList<string> RecordIds, IReadOnlyList<ErasureOp> Ops, ErasureCounts Counts, IReadOnlySet<string> Values, IReadOnlyList<string> OtherIds)
{
    /// <summary>A merge over one of the records is running: plan again once it is at rest.</summary>
    public bool Busy { get; init; }

    public static ErasurePlan BusyPlan(IReadOnlySet<string> values) => new([], [], new ErasureCounts(), values, []) { Busy = true };
}

/// <summary>
/// Writes the steps that take out every trace of the person (SPEC 4.5), from what
/// <see cref="ErasureFinder"/> found: in the erasure's queue function, never on the request path.
/// Reading comes before any write, so that what is counted is what the steps will take out.
/// </summary>
public sealed partial class ErasurePlanner(
    ErasureRows rows,
    LeadStore leads,
    ErasureFinder finder,
    MatchIndex index,
    MergeStore journal,
    MergeRecovery merges,
    WebhookStore webhooks,
    ImportStore imports,
    Infrastructure.Capture.CaptureGuard guard,
    Infrastructure.Idempotency.IdempotencyKeys idempotencyKeys,
    Domain.Matching.PhoneNumbers phones)
{

    public async Task<ErasurePlan> PlanAsync(string erasureId, ErasureState state, ErasureScan scan, CancellationToken ct)
    {
        var target = state.Target;
        var finding = await finder.FindAsync(target, state.ErasedIds, scan, ct);
        var records = finding.Records;
        var ops = new List<ErasureOp>();
        var counts = new ErasureCounts();
        var values = new HashSet<string>(state.Values, StringComparer.OrdinalIgnoreCase);
        values.UnionWith(new[] { target.Email, target.Phone }.OfType<string>());
        var contacts = new HashSet<string>(new[] { target.Email, target.Phone }.OfType<string>(), StringComparer.Ordinal);
        var erasing = records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        erasing.UnionWith(state.ErasedIds);
        // Other people's records to look through for the values: first those that took their contact in a merge.
        var others = new HashSet<string>(finding.Survivors, StringComparer.Ordinal);
        // Every merge that held one of their records, whatever its partition's log says now (a merge moves log rows).
        var mergeIds = finding.Merges.Where(m => m.ErasedAt is null && (erasing.Contains(m.SurvivorId) || m.MergedIds.Any(erasing.Contains)))
            .Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var cleanings = new List<(string SurvivorId, MergeRecord Merge, Lead Erased)>();
        var tail = new List<ErasureOp>(); // steps that need every earlier one done (images deleted last)
        var planned = new HashSet<(string Table, string PartitionKey, string RowKey)>();
        var keyPartitions = new HashSet<string>(StringComparer.Ordinal); // their keys, which may hold markers
        var nextId = state.Round * 100_000;
        string NewId() => Ids.Derived(erasureId, nextId++);
        void Delete(string table, string partitionKey, string rowKey)
        {
            if (planned.Add((table, partitionKey, rowKey)))
            {
                ops.Add(new DeleteRow(table, partitionKey, rowKey));
            }
        }

        if (records.Any(r => r.MergeLock is not null))
        {
            return ErasurePlan.BusyPlan(values);
        }
        foreach (var row in records)
        {
            var lead = row.ToLead();
            values.UnionWith(PersonalData.ValuesOf(lead, phones));
            // Their capture claims are keyed by each record's own contact, not only the one asked for.
            contacts.UnionWith(new[] { Domain.Matching.EmailAddress.Normalize(lead.Email), phones.ToE164(lead.Phone, lead.Country) }.OfType<string>());
            var partition = await leads.PartitionRowsAsync(lead.Id, ct);
            counts.Records++;
            // Their record first: from its stub on, nobody reads their data, and nothing can store it again.
            ops.Add(new EraseRecord(lead.Id, row.LastEventSequence, NewId()));
            foreach (var other in partition.Where(r => r.RowKey != StorageNames.LeadRow))
            {
                Delete(StorageNames.LeadsTable, lead.Id, other.RowKey);
                if (other.RowKey.StartsWith(StorageNames.LogPrefix, StringComparison.Ordinal))
                {
                    counts.LogEntries++;
                }
                else if (other.RowKey.StartsWith(StorageNames.EdgePrefix, StringComparison.Ordinal) || other.RowKey.StartsWith(StorageNames.DismissedPrefix, StringComparison.Ordinal))
                {
                    counts.Edges++;
                    var neighbour = other.RowKey[(other.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..];
                    if (!erasing.Contains(neighbour) && Ids.IsWellFormed(neighbour))
                    {
                        others.Add(neighbour);
                    }
                }
                else if (other.RowKey.StartsWith(OutboxRows.Prefix, StringComparison.Ordinal) && other.RowKey != OutboxRows.LeaseRow)
                {
                    counts.OutboxRows++;
                }
            }
            foreach (var key in row.IndexedKeys.Concat(target.IndexKeys()).Distinct())
            {
                foreach (var indexRow in MatchIndex.RowsOf(lead.Id))
                {
                    Delete(StorageNames.IndexTable, MatchIndex.PartitionOf(key), indexRow);
                }
                counts.IndexEntries++;
                keyPartitions.Add(MatchIndex.PartitionOf(key));
            }
            foreach (var listed in row.ListedIn)
            {
                Delete(StorageNames.ListTable, listed, lead.Id);
                counts.ListEntries++;
            }
        }

        // Their own keys every round, the last (with no record left) too: a check or relink that ran
        // while the records went can have marked one again.
        keyPartitions.UnionWith(target.SweptKeys().Select(MatchIndex.PartitionOf));
        foreach (var partition in keyPartitions)
        {
            // A key held by their records alone: its markers, whose partition names them, go with them.
            // One member more than they have is enough to see that someone else is under it too.
            var read = await index.ReadKeyAsync(partition, erasing.Count + 1, ct);
            if (!read.Ids.All(erasing.Contains))
            {
                continue;
            }
            foreach (var marker in new[] { (read.MarkedCrowded, MatchIndex.CrowdedMarker), (read.RelinkWaiting, MatchIndex.RelinkMarker) }
                .Where(m => m.Item1).Select(m => m.Item2))
            {
                Delete(StorageNames.IndexTable, partition, marker);
                counts.IndexEntries++;
            }
        }

        foreach (var mergeId in mergeIds)
        {
            // At rest first: a merge still running is finished or rolled back before its images go.
            await merges.ResolveAsync(mergeId, ct, conflictWhenBusy: false);
            if (await journal.FindAsync(mergeId, ct) is not { } found || found.Record.State is MergeState.Aborted)
            {
                continue;
            }
            var record = found.Record;
            if (record.State is not (MergeState.Applied or MergeState.Undone))
            {
                return ErasurePlan.BusyPlan(values);
            }
            if (record.State is MergeState.Undone && !erasing.Contains(record.SurvivorId) && record.EntryIds.TryGetValue(record.SurvivorId, out var entryId))
            {
                // Undone, the survivor still keeps the merge's history entry, with their records in it.
                foreach (var mergedId in record.MergedIds.Where(erasing.Contains))
                {
                    ops.Add(new DropMergedRecord(record.SurvivorId, StorageNames.LogPrefix + Ids.Descending(entryId), mergedId));
                }
                planned.Add((StorageNames.LeadsTable, record.SurvivorId, StorageNames.LogPrefix + Ids.Descending(entryId)));
                others.Add(record.SurvivorId);
            }
            var before = await journal.BeforeAsync(mergeId, ct);
            var moved = await journal.MovedAsync(mergeId, ct);
            var survivorErased = erasing.Contains(record.SurvivorId);
            if (record.State is MergeState.Applied)
            {
                foreach (var mergedId in record.MergedIds)
                {
                    if (erasing.Contains(mergedId) && !survivorErased && before.TryGetValue(mergedId, out var erasedImage))
                    {
                        // Another person's survivor: it gives back what it took and loses the erased record's history.
                        foreach (var rowKey in moved.GetValueOrDefault(mergedId) ?? [])
                        {
                            Delete(StorageNames.LeadsTable, record.SurvivorId, rowKey);
                            counts.LogEntries++;
                        }
                        var mergedEntry = StorageNames.LogPrefix + Ids.Descending(record.EntryIds[record.SurvivorId]);
                        planned.Add((StorageNames.LeadsTable, record.SurvivorId, mergedEntry));
                        ops.Add(new DropMergedRecord(record.SurvivorId, mergedEntry, mergedId));
                        counts.LogEntries++;
                        ops.Add(new CleanSurvivor(record.SurvivorId, before[record.SurvivorId], erasedImage, NewId()));
                        cleanings.Add((record.SurvivorId, record, erasedImage));
                        counts.SurvivorsCleaned++;
                        others.Add(record.SurvivorId);
                    }
                    else if (!erasing.Contains(mergedId) && survivorErased && before.TryGetValue(mergedId, out var image))
                    {
                        // Another person's record merged into theirs comes back as it was, with its history.
                        var survivorRows = await leads.PartitionRowsAsync(record.SurvivorId, ct);
                        var keys = (moved.GetValueOrDefault(mergedId) ?? []).ToHashSet(StringComparer.Ordinal);
                        foreach (var chunk in survivorRows.Where(r => keys.Contains(r.RowKey)).Select(r => new MovedRow(r.RowKey, r.Json)).Chunk(50))
                        {
                            ops.Add(new CopyRows(mergedId, chunk));
                        }
                        ops.Add(new RestoreMerged(mergedId, record.SurvivorId, image, NewId()));
                        counts.RecordsRestored++;
                        others.Add(mergedId);
                    }
                }
            }
            tail.Add(new EraseMerge(mergeId));
            counts.Merges++;
        }
        if (!await PlanChainsAsync(finding.Merges, cleanings, mergeIds, erasing, others, ops, tail, counts, NewId, ct))
        {
            return ErasurePlan.BusyPlan(values);
        }

        foreach (var customer in finding.Customers)
        {
            values.UnionWith(PersonalData.ValuesOf(new Lead { Name = customer.Name, Email = customer.Email, Phone = customer.Phone, Street = customer.Street, Website = customer.Website, Country = customer.Country }, phones));
            Delete(StorageNames.DirectoryTable, DirectoryStore.KindOf<Customer>(), customer.Id);
            counts.Customers++;
            if (Domain.Matching.EmailAddress.Normalize(customer.Email) is { } email)
            {
                Delete(StorageNames.IndexTable, MatchIndex.CustomerEmailPartition(email), customer.Id);
                counts.IndexEntries++;
            }
        }

        foreach (var company in finding.Companies)
        {
            ops.Add(new CleanCustomer(company.Id));
            counts.CustomersCleaned++;
            if (Domain.Matching.EmailAddress.Normalize(company.Email) is { } email && PersonalData.Holds(email, values))
            {
                Delete(StorageNames.IndexTable, MatchIndex.CustomerEmailPartition(email), company.Id);
                counts.IndexEntries++;
            }
        }

        // Their records erased in earlier rounds: a check running meanwhile may have written an
        // edge (with its own record's summary) into the stub's partition.
        foreach (var id in state.ErasedIds)
        {
            foreach (var row in await leads.PartitionRowsAsync(id, ct))
            {
                if (row.RowKey.StartsWith(StorageNames.EdgePrefix, StringComparison.Ordinal) || row.RowKey.StartsWith(StorageNames.DismissedPrefix, StringComparison.Ordinal))
                {
                    Delete(StorageNames.LeadsTable, id, row.RowKey);
                    counts.Edges++;
                }
                else if (row.RowKey.StartsWith(StorageNames.LogPrefix, StringComparison.Ordinal))
                {
                    Delete(StorageNames.LeadsTable, id, row.RowKey);
                    counts.LogEntries++;
                }
                else if (row.RowKey.StartsWith(OutboxRows.Prefix, StringComparison.Ordinal) && row.RowKey != OutboxRows.LeaseRow
                    && row.EventType != Domain.Events.LeadEventTypes.Erased)
                {
                    // The event of a change that raced the stub: it carried their data.
                    Delete(StorageNames.LeadsTable, id, row.RowKey);
                    counts.OutboxRows++;
                }
            }
        }
        // List copies and index entries a write racing the erasure put back, or that an earlier
        // crash left in partitions the record's row no longer names: one scan of each table.
        foreach (var chunk in state.ErasedIds.Chunk(20))
        {
            foreach (var name in new[] { StorageNames.ListTable, StorageNames.IndexTable })
            {
                await foreach (var (partitionKey, rowKey) in rows.KeysNamedAsync(name, chunk, ct))
                {
                    Delete(name, partitionKey, rowKey);
                    if (name == StorageNames.ListTable)
                    {
                        counts.ListEntries++;
                    }
                    else
                    {
                        counts.IndexEntries++;
                    }
                }
            }
        }

        await PlanCaptureRowsAsync(contacts, ops, counts, ct);
        await PlanIdempotencyRowsAsync(erasing.Union(finding.Customers.Select(c => c.Id)).ToHashSet(StringComparer.Ordinal), ops, counts, ct);
        // The records found this round, and those of earlier rounds: a check that ran meanwhile may
        // have written an edge to theirs, or an entry naming them, after the earlier round cleaned it.
        foreach (var id in others.Union(state.OtherIds).Where(id => !erasing.Contains(id)))
        {
            if (await PlanOtherRecordAsync(id, erasing, values, planned, ops, counts, ct) || others.Contains(id))
            {
                ops.Add(new Recheck(id));
            }
        }
        await PlanScansAsync(erasing, [.. others.Union(state.OtherIds)], target, values, ops, counts, ct);
        ops.AddRange(tail);
        return new ErasurePlan([.. records.Select(r => r.Id)], ops, counts, values, [.. others.Union(state.OtherIds)]);
    }
}
