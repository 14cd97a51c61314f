using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Model;
using LeadFunctions.Storage.Merging;
using LeadFunctions.Storage.Webhooks;

namespace LeadFunctions.Storage.Erasure;

/// <summary>A round's plan, what it counts, the values its scrubbing steps look for, and the other records it looked through.</summary>
public sealed record ErasurePlan(IReadOnlyList<string> RecordIds, IReadOnlyList<ErasureOp> Ops, ErasureCounts Counts, IReadOnlySet<string> Values, IReadOnlyList<string> OtherIds)
{
    /// <summary>A merge over one of the records is running: plan again once it is at rest.</summary>
    public bool Busy { get; init; }

    public static ErasurePlan BusyPlan(IReadOnlySet<string> values) => new([], [], new ErasureCounts(), values, []) { Busy = true };
}

/// <summary>
/// Finds every trace of the person and writes the steps that take it out (SPEC 4.5). Their
/// records come from the similar-record index (email, mailbox alias, phone) and, for the ones the
/// index does not hold (merged records, a capture not checked yet), from one scan of the record
/// rows; this runs in the erasure's queue function, never on the request path. Reading comes
/// before any write, so that what is counted is what the steps will take out.
/// </summary>
public sealed class ErasurePlanner(
    StorageClients clients,
    LeadStore leads,
    MatchIndex index,
    DirectoryStore directory,
    MergeStore journal,
    MergeRecovery merges,
    Domain.Matching.PhoneNumbers phones)
{
    private const int IndexLimit = 1000;

    public async Task<ErasurePlan> PlanAsync(string erasureId, ErasureState state, CancellationToken ct)
    {
        var target = state.Target;
        var records = await FindRecordsAsync(target, state.ErasedIds, ct);
        var ops = new List<ErasureOp>();
        var counts = new ErasureCounts();
        var values = new HashSet<string>(state.Values, StringComparer.OrdinalIgnoreCase);
        values.UnionWith(new[] { target.Email, target.Phone }.OfType<string>());
        var contacts = new HashSet<string>(new[] { target.Email, target.Phone }.OfType<string>(), StringComparer.Ordinal);
        var erasing = records.Select(r => r.PartitionKey).ToHashSet(StringComparer.Ordinal);
        erasing.UnionWith(state.ErasedIds);
        var others = new HashSet<string>(StringComparer.Ordinal); // other people's records to look through for the values
        var mergeIds = new HashSet<string>(StringComparer.Ordinal);
        var tail = new List<ErasureOp>(); // steps that need every earlier one done (images deleted last)
        var planned = new HashSet<(string Table, string PartitionKey, string RowKey)>();
        var nextId = state.Round * 100_000;
        string NewId() => Ids.Derived(erasureId, nextId++);
        void Delete(string table, string partitionKey, string rowKey)
        {
            if (planned.Add((table, partitionKey, rowKey)))
            {
                ops.Add(new DeleteRow(table, partitionKey, rowKey));
            }
        }

        if (records.Any(r => LeadRows.MergeLockOf(r) is not null))
        {
            return ErasurePlan.BusyPlan(values);
        }
        foreach (var row in records)
        {
            var lead = LeadRows.ToLead(row);
            values.UnionWith(PersonalData.ValuesOf(lead, phones));
            // Their capture claims are keyed by each record's own contact, not only the one asked for.
            contacts.UnionWith(new[] { Domain.Matching.EmailAddress.Normalize(lead.Email), phones.ToE164(lead.Phone, lead.Country) }.OfType<string>());
            var partition = await PartitionAsync(lead.Id, ct);
            counts.Records++;
            foreach (var entry in partition.Where(r => r.RowKey.StartsWith(StorageNames.LogPrefix, StringComparison.Ordinal)).Select(JsonRow.Read<LogEntry>))
            {
                if (entry.Data?["mergeId"]?.GetValue<string>() is { } mergeId && entry.Kind is LogKind.Merged or LogKind.MergedInto or LogKind.Unmerged)
                {
                    mergeIds.Add(mergeId);
                }
            }
            // Their record first: from its stub on, nobody reads their data, and nothing can store it again.
            ops.Add(new EraseRecord(lead.Id, row.GetInt64(Events.OutboxRows.SequenceColumn) ?? 0, NewId()));
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
                else if (other.RowKey.StartsWith(Events.OutboxRows.Prefix, StringComparison.Ordinal) && other.RowKey != Events.OutboxRows.LeaseRow)
                {
                    counts.OutboxRows++;
                }
            }
            foreach (var key in LeadRows.IndexedKeys(row).Concat(target.IndexKeys()).Distinct())
            {
                Delete(StorageNames.IndexTable, MatchIndex.PartitionOf(key), lead.Id);
                counts.IndexEntries++;
            }
            foreach (var listed in LeadList.PartitionsOf(row))
            {
                Delete(StorageNames.ListTable, listed, lead.Id);
                counts.ListEntries++;
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
                        counts.SurvivorsCleaned++;
                        others.Add(record.SurvivorId);
                    }
                    else if (!erasing.Contains(mergedId) && survivorErased && before.TryGetValue(mergedId, out var image))
                    {
                        // Another person's record merged into theirs comes back as it was, with its history.
                        var survivorRows = await PartitionAsync(record.SurvivorId, ct);
                        var keys = (moved.GetValueOrDefault(mergedId) ?? []).ToHashSet(StringComparer.Ordinal);
                        foreach (var chunk in survivorRows.Where(r => keys.Contains(r.RowKey)).Select(r => new MovedRow(r.RowKey, JsonRow.ReadJson(r))).Chunk(50))
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

        foreach (var customer in await FindCustomersAsync(target, ct))
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

        // Their records erased in earlier rounds: a check running meanwhile may have written an
        // edge (with its own record's summary) into the stub's partition.
        foreach (var id in state.ErasedIds)
        {
            foreach (var row in await PartitionAsync(id, ct))
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
                else if (row.RowKey.StartsWith(Events.OutboxRows.Prefix, StringComparison.Ordinal) && row.RowKey != Events.OutboxRows.LeaseRow
                    && row.GetString(Events.OutboxRows.TypeColumn) != Domain.Events.LeadEventTypes.Erased)
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
            var filter = string.Join(" or ", chunk.Select(id => TableClient.CreateQueryFilter($"RowKey eq {id}")));
            foreach (var (name, table) in new[] { (StorageNames.ListTable, clients.List), (StorageNames.IndexTable, clients.Index) })
            {
                await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
                {
                    Delete(name, row.PartitionKey, row.RowKey);
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
        return new ErasurePlan([.. records.Select(r => r.PartitionKey)], ops, counts, values, [.. others.Union(state.OtherIds)]);
    }

    /// <summary>The person's records not erased yet: through the index, then the record rows the index does not hold.</summary>
    public async Task<List<TableEntity>> FindRecordsAsync(ErasureTarget target, IReadOnlyCollection<string> erased, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in target.IndexKeys())
        {
            ids.UnionWith(await index.MembersAsync(MatchIndex.PartitionOf(key), IndexLimit, ct));
        }
        await clients.EnsureCreatedAsync();
        var found = new List<TableEntity>();
        foreach (var id in ids.Where(i => !erased.Contains(i)).Order(StringComparer.Ordinal))
        {
            if (await leads.FindRowAsync(id, ct) is { } row && target.Matches(LeadRows.ToLead(row), phones))
            {
                found.Add(row);
            }
        }
        // Merged records leave the index, and a capture enters it at its check: one scan of the
        // record rows finds those (matched here, on the record as stored).
        var filter = target.Email is { } email
            ? TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow} and (Status eq {LeadRows.Wire(LeadStatus.Merged)} or Email eq {email})")
            : TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow} and Status eq {LeadRows.Wire(LeadStatus.Merged)}");
        await foreach (var row in clients.Leads.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            if (!ids.Contains(row.PartitionKey) && !erased.Contains(row.PartitionKey) && target.Matches(LeadRows.ToLead(row), phones))
            {
                found.Add(row);
            }
        }
        return found;
    }

    private async Task<IReadOnlyList<Customer>> FindCustomersAsync(ErasureTarget target, CancellationToken ct) =>
        [.. (await directory.AllAsync<Customer>(ct)).Where(c => target.Matches(c, phones))];

    /// <summary>Their capture claims and idempotency keys: the claim partitions of their emails and phones.</summary>
    private async Task PlanCaptureRowsAsync(IEnumerable<string> contacts, List<ErasureOp> ops, ErasureCounts counts, CancellationToken ct)
    {
        foreach (var contact in contacts)
        {
            var partition = CaptureGuard.PartitionOf(contact);
            await foreach (var row in clients.Capture.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["PartitionKey", "RowKey"], cancellationToken: ct))
            {
                ops.Add(new DeleteRow(StorageNames.CaptureTable, row.PartitionKey, row.RowKey));
                counts.CaptureRows++;
            }
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
        foreach (var row in await PartitionAsync(id, ct))
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
            else if ((key.StartsWith(StorageNames.LogPrefix, StringComparison.Ordinal) || (key.StartsWith(Events.OutboxRows.Prefix, StringComparison.Ordinal) && key != Events.OutboxRows.LeaseRow))
                && Mentions(row, values))
            {
                planned.Add((StorageNames.LeadsTable, id, key));
                // A sent event is history: it goes. A pending one is still told, cleaned.
                if (key.StartsWith(Events.OutboxRows.Prefix, StringComparison.Ordinal) && row.GetBoolean(Events.OutboxRows.PendingColumn) != true)
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
        var deliveries = TableClient.CreateQueryFilter(
            $"PartitionKey ge {WebhookStore.DeliveryPartitionPrefix} and PartitionKey lt {TableKeys.PrefixEnd(WebhookStore.DeliveryPartitionPrefix)}");
        await foreach (var row in clients.Webhooks.QueryAsync<TableEntity>(deliveries, cancellationToken: ct))
        {
            var subject = row.GetString(WebhookStore.SubjectColumn);
            if ((subject is not null && erasing.Contains(subject)) || Mentions(row, subject is not null && others.Contains(subject) ? values : identifying))
            {
                ops.Add(new DeleteRow(StorageNames.WebhooksTable, row.PartitionKey, row.RowKey));
                counts.WebhookDeliveries++;
            }
        }
        await foreach (var row in clients.Imports.QueryAsync<TableEntity>(cancellationToken: ct))
        {
            if (Mentions(row, identifying))
            {
                ops.Add(new ScrubRow(StorageNames.ImportsTable, row.PartitionKey, row.RowKey, TheirsOnly: true));
                counts.ImportRows++;
            }
        }
    }

    /// <summary>Whether a JSON row holds one of the values in its text (as the scrubbing step reads it, so that a scrubbed row is found no more).</summary>
    private static bool Mentions(TableEntity row, HashSet<string> values)
    {
        var json = JsonRow.ReadJson(row);
        return json.Length > 0 && PersonalData.Mentions(System.Text.Json.Nodes.JsonNode.Parse(json), values);
    }

    private async Task<List<TableEntity>> PartitionAsync(string id, CancellationToken ct) =>
        await clients.Leads.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken: ct).ToListAsync(ct);
}
