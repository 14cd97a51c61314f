using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Storage.Merging;

/// <summary>
/// Merges and undoes merges (SPEC 4.4) so that, seen through the API, a merge is applied whole or
/// not at all even when the process dies between two writes. The protocol (docs/merge.md):
/// journal (images of every record before and after) → lock every record, each conditional on
/// the version read → commit (one write of the journal) → write the images and move the logs →
/// applied. Before the commit a dead merge is rolled back; after it, it is rolled forward; both
/// are idempotent, and whoever meets a held record resolves its merge first.
/// </summary>
public sealed class MergeService(
    LeadStore leads,
    MergeStore journal,
    IngestQueue queue,
    MergeFaults faults,
    IOptions<MergeSettings> settings,
    TimeProvider clock)
{
    private const int MaxResolveAttempts = 5;

    public async Task<MergeResponse> MergeAsync(IReadOnlyList<string> leadIds, Domain.Merging.MergeOptions options, bool dryRun, CancellationToken ct)
    {
        var idErrors = MergeRules.ValidateIds(leadIds);
        if (!idErrors.IsEmpty)
        {
            throw new ValidationException(idErrors);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await MergeOnceAsync(leadIds, options, dryRun, ct);
            }
            catch (RecordMovedOnException) when (attempt < MaxResolveAttempts)
            {
                // A background check touched a record between reading and holding it: plan again.
            }
            catch (RecordMovedOnException)
            {
                throw new ConflictException("The records kept changing while merging: nothing was merged.");
            }
        }
    }

    /// <summary>A record's version changed without any change a user made (a duplicate check): worth a new attempt.</summary>
    private sealed class RecordMovedOnException : Exception;

    private async Task<MergeResponse> MergeOnceAsync(IReadOnlyList<string> leadIds, Domain.Merging.MergeOptions options, bool dryRun, CancellationToken ct)
    {
        var rows = await ReadResolvedAsync(leadIds, ct);
        var records = rows.Select(LeadRows.ToLead).ToList();
        var now = clock.GetUtcNow();
        var outcome = MergeRules.Plan(records, options, now);
        var mergeId = Ids.New(now);
        var before = records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        // Refused here, before anything is written, if the history entry cannot be stored.
        LeadRows.Log(MergedEntry(mergeId, outcome.SurvivorId, outcome.MergedIds, before, now));
        if (dryRun)
        {
            return new MergeResponse(null, outcome.SurvivorId, outcome.MergedIds, outcome.Result, outcome.Sources);
        }

        var after = outcome.MergedIds.Select(id => MergeRules.Tombstone(before[id], outcome.SurvivorId, now)).Append(outcome.Result).ToList();
        var moved = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var id in outcome.MergedIds)
        {
            moved[id] = (await leads.LogRowsAsync(id, ct)).Select(r => r.RowKey).ToList();
        }
        var record = new MergeRecord
        {
            Id = mergeId,
            State = MergeState.Pending,
            SurvivorId = outcome.SurvivorId,
            MergedIds = [.. outcome.MergedIds],
            CreatedAt = now,
        };
        var etag = await journal.CreateAsync(record, records, after, moved, () => faults.AfterWriteAsync("journal images"), ct);
        await faults.AfterWriteAsync("journal");

        // In id order, so that two merges over the same records meet on the same first record.
        var locked = new List<string>();
        try
        {
            foreach (var row in rows.OrderBy(r => r.PartitionKey, StringComparer.Ordinal))
            {
                await leads.LockAsync(row.PartitionKey, mergeId, row.ETag, ct);
                locked.Add(row.PartitionKey);
                await faults.AfterWriteAsync("lock " + row.PartitionKey);
            }
        }
        catch (ConcurrencyException e)
        {
            await RollBackAsync(record, etag, ct);
            var current = await leads.FindRowAsync(e.LeadId, ct);
            if (current is not null && LeadRows.MergeLockOf(current) is null && LeadRows.ToLead(current).UpdatedAt == before[e.LeadId].UpdatedAt)
            {
                throw new RecordMovedOnException();
            }
            throw new ConflictException("A record changed, or another merge took it, while merging: nothing was merged.");
        }

        record.State = MergeState.Committed;
        try
        {
            etag = await journal.UpdateAsync(record, etag, ct);
        }
        catch (ConcurrencyException)
        {
            // Someone took this merge for dead and rolled it back.
            throw new ConflictException("The merge took too long and was rolled back: nothing was merged.");
        }
        await faults.AfterWriteAsync("commit");
        await ApplyAsync(record, etag, ct);
        var result = await leads.FindAsync(outcome.SurvivorId, ct) ?? outcome.Result;
        return new MergeResponse(mergeId, outcome.SurvivorId, outcome.MergedIds, result, outcome.Sources);
    }

    /// <summary>
    /// A record as the API shows it: while a committed merge (or undo) is being written, the image
    /// it is bringing the record to, so that nobody sees it half done.
    /// </summary>
    public async Task<Lead> ViewAsync(Azure.Data.Tables.TableEntity row, CancellationToken ct)
    {
        var lead = LeadRows.ToLead(row);
        if (LeadRows.MergeLockOf(row) is not { } mergeId || await journal.FindAsync(mergeId, ct) is not { } found)
        {
            return lead;
        }
        var record = found.Record;
        var image = record.State switch
        {
            MergeState.Committed => (await journal.AfterAsync(mergeId, ct)).GetValueOrDefault(lead.Id),
            MergeState.Undoing when lead.Id == record.SurvivorId => await journal.RestoreImageAsync(mergeId, lead.Id, ct),
            MergeState.Undoing => (await journal.BeforeAsync(mergeId, ct)).GetValueOrDefault(lead.Id),
            _ => null,
        };
        if (image is null)
        {
            return lead;
        }
        image.Version = lead.Version;
        return image;
    }

    public async Task<MergeRecord> GetAsync(string mergeId, CancellationToken ct)
    {
        await ResolveAsync(mergeId, ct, conflictWhenBusy: false);
        return (await journal.FindAsync(mergeId, ct) ?? throw new NotFoundException("merge", mergeId)).Record;
    }

    /// <summary>
    /// Undo: the merged records come back as they were, the survivor's fields return to their
    /// values before the merge and the moved log entries go home. A survivor changed since the
    /// merge answers 409 unless <paramref name="force"/>, which keeps (and logs) those changes.
    /// </summary>
    public async Task<MergeRecord> UndoAsync(string mergeId, bool force, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UndoOnceAsync(mergeId, force, ct);
            }
            catch (RecordMovedOnException) when (attempt < MaxResolveAttempts)
            {
                // A background check touched the survivor between reading and holding it: look again.
            }
            catch (RecordMovedOnException)
            {
                throw new ConflictException("The survivor kept changing while undoing: nothing was undone.");
            }
        }
    }

    private async Task<MergeRecord> UndoOnceAsync(string mergeId, bool force, CancellationToken ct)
    {
        await ResolveAsync(mergeId, ct, conflictWhenBusy: true);
        var (record, etag) = await journal.FindAsync(mergeId, ct) ?? throw new NotFoundException("merge", mergeId);
        switch (record.State)
        {
            case MergeState.Undone:
                throw new ConflictException("This merge was undone already.");
            case MergeState.Aborted:
                throw new ConflictException("This merge was never applied.");
        }

        var row = await leads.FindRowAsync(record.SurvivorId, ct) ?? throw new NotFoundException("record", record.SurvivorId);
        var survivor = LeadRows.ToLead(row);
        if (survivor.Status == LeadStatus.Merged)
        {
            throw new ConflictException($"The survivor was merged into {survivor.MergedInto} since: undo that merge first.", survivor.MergedInto);
        }
        var before = (await journal.BeforeAsync(mergeId, ct))[record.SurvivorId];
        var after = (await journal.AfterAsync(mergeId, ct))[record.SurvivorId];
        var changes = Changes(after, survivor);
        if (changes.Count > 0 && !force)
        {
            throw new ConflictException(
                $"The survivor has changed since the merge ({string.Join(", ", changes.Select(c => c.Key))}); undo with force to keep those changes.");
        }
        await journal.SaveRestoreImageAsync(mergeId, RestoreImage(before, survivor, changes), ct);
        await faults.AfterWriteAsync("restore image");
        try
        {
            await leads.LockAsync(record.SurvivorId, mergeId, row.ETag, ct);
        }
        catch (ConcurrencyException)
        {
            var current = await leads.FindRowAsync(record.SurvivorId, ct);
            if (current is not null && LeadRows.MergeLockOf(current) is null && LeadRows.ToLead(current).UpdatedAt == survivor.UpdatedAt)
            {
                throw new RecordMovedOnException();
            }
            throw new ConflictException("The survivor changed while undoing: nothing was undone.");
        }
        await faults.AfterWriteAsync("lock survivor");
        record.State = MergeState.Undoing;
        record.Forced = changes.Count > 0 ? true : null;
        record.UndoId = Ids.New();
        try
        {
            etag = await journal.UpdateAsync(record, etag, ct);
        }
        catch (ConcurrencyException)
        {
            await leads.UnlockAsync(record.SurvivorId, mergeId, ct);
            throw new ConflictException("Another undo of this merge is under way.");
        }
        await faults.AfterWriteAsync("commit undo");
        await UndoForwardAsync(record, etag, ct);
        return record;
    }

    /// <summary>
    /// Brings a merge that a record is held by to an end: a dead pending one is rolled back, a
    /// committed one finished, an undo under way finished, and a leftover hold released.
    /// </summary>
    /// <exception cref="ConflictException">The merge is still running (pending and not stale) and <paramref name="conflictWhenBusy"/>.</exception>
    public async Task ResolveAsync(string mergeId, CancellationToken ct, bool conflictWhenBusy = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            var found = await journal.FindAsync(mergeId, ct);
            if (found is null)
            {
                return;
            }
            var (record, etag) = found.Value;
            try
            {
                switch (record.State)
                {
                    case MergeState.Pending when clock.GetUtcNow() - record.CreatedAt < settings.Value.StaleAfter:
                        if (conflictWhenBusy)
                        {
                            throw new ConflictException("The record is being merged; try again in a moment.");
                        }
                        return;
                    case MergeState.Pending:
                        await RollBackAsync(record, etag, ct);
                        return;
                    case MergeState.Committed:
                        await ApplyAsync(record, etag, ct);
                        return;
                    case MergeState.Undoing:
                        await UndoForwardAsync(record, etag, ct);
                        return;
                    default:
                        // Applied, aborted or undone: a hold may be left from an undo attempt that died before its commit.
                        await Task.WhenAll(record.MergedIds.Append(record.SurvivorId).Select(id => leads.UnlockAsync(id, mergeId, ct)));
                        return;
                }
            }
            catch (ConcurrencyException) when (attempt < MaxResolveAttempts)
            {
                // Someone else moved the merge on meanwhile: look again.
            }
        }
    }

    /// <summary>
    /// The records, each free of any merge hold (resolving what holds them), in request order.
    /// </summary>
    private async Task<List<Azure.Data.Tables.TableEntity>> ReadResolvedAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var rows = await Task.WhenAll(ids.Select(id => leads.FindRowAsync(id, ct)));
            for (var i = 0; i < ids.Count; i++)
            {
                if (rows[i] is null)
                {
                    throw new NotFoundException("record", ids[i]);
                }
            }
            var holds = rows.Select(r => LeadRows.MergeLockOf(r!)).OfType<string>().Distinct().ToList();
            if (holds.Count == 0)
            {
                return [.. rows.Select(r => r!)];
            }
            if (attempt == MaxResolveAttempts)
            {
                throw new ConflictException("The records are being merged; try again in a moment.");
            }
            foreach (var hold in holds)
            {
                await ResolveAsync(hold, ct);
            }
        }
    }

    private async Task RollBackAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        record.State = MergeState.Aborted;
        // Aborted first: from then on nobody can commit it, and the holds are merely leftovers.
        await AdvanceAsync(record, etag, ct);
        await faults.AfterWriteAsync("abort");
        foreach (var id in record.MergedIds.Append(record.SurvivorId))
        {
            await leads.UnlockAsync(id, record.Id, ct);
        }
    }

    /// <summary>Rolls a committed merge forward. Every step checks what is already done.</summary>
    private async Task ApplyAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Announced first: the checks wait while the records are held, and then see the result.
        await AnnounceAsync(record, ct);
        var before = await journal.BeforeAsync(record.Id, ct);
        var after = await journal.AfterAsync(record.Id, ct);
        var moved = await journal.MovedAsync(record.Id, ct);
        foreach (var id in record.MergedIds)
        {
            var keys = moved.GetValueOrDefault(id)?.ToHashSet(StringComparer.Ordinal) ?? [];
            var rows = (await leads.LogRowsAsync(id, ct)).Where(r => keys.Contains(r.RowKey)).ToList();
            if (rows.Count > 0)
            {
                await leads.CopyRowsAsync(record.SurvivorId, rows, ct);
                await faults.AfterWriteAsync("copy log of " + id);
                await leads.DeleteRowsAsync(id, rows, ct);
                await faults.AfterWriteAsync("delete log of " + id);
            }
        }
        foreach (var id in record.MergedIds)
        {
            var entry = LeadService.Entry(id, now, LogKind.MergedInto, $"Merged into {record.SurvivorId}.",
                new JsonObject { ["mergeId"] = record.Id, ["survivorId"] = record.SurvivorId });
            entry.Id = record.Id;
            await WriteHeldAsync(record.Id, after[id], [entry], ct);
        }
        var merged = MergedEntry(record.Id, record.SurvivorId, record.MergedIds, before, now);
        await WriteHeldAsync(record.Id, after[record.SurvivorId], [merged], ct);
        record.State = MergeState.Applied;
        record.AppliedAt = now;
        await AdvanceAsync(record, etag, ct);
        await faults.AfterWriteAsync("applied");
    }

    private async Task UndoForwardAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await AnnounceAsync(record, ct);
        var before = await journal.BeforeAsync(record.Id, ct);
        var restore = await journal.RestoreImageAsync(record.Id, record.SurvivorId, ct) ?? before[record.SurvivorId];
        var moved = await journal.MovedAsync(record.Id, ct);
        var survivorLog = await leads.LogRowsAsync(record.SurvivorId, ct);
        foreach (var id in record.MergedIds)
        {
            var keys = moved.GetValueOrDefault(id)?.ToHashSet(StringComparer.Ordinal) ?? [];
            var rows = survivorLog.Where(r => keys.Contains(r.RowKey)).ToList();
            if (rows.Count > 0)
            {
                await leads.CopyRowsAsync(id, rows, ct);
                await faults.AfterWriteAsync("copy log back to " + id);
                await leads.DeleteRowsAsync(record.SurvivorId, rows, ct);
                await faults.AfterWriteAsync("delete moved log of " + id);
            }
        }
        var undoId = record.UndoId ?? record.Id;
        foreach (var id in record.MergedIds)
        {
            var row = await leads.FindRowAsync(id, ct);
            if (row is not null && LeadRows.ToLead(row) is { Status: LeadStatus.Merged } tombstone && tombstone.MergedInto == record.SurvivorId)
            {
                var entry = LeadService.Entry(id, now, LogKind.Unmerged, $"Merge {record.Id} undone: this record is back.", new JsonObject { ["mergeId"] = record.Id });
                entry.Id = undoId;
                await leads.UpdateAsync(before[id], row.ETag, [entry], ct, releaseLock: true);
                await faults.AfterWriteAsync("restore " + id);
            }
        }
        var survivorEntry = LeadService.Entry(record.SurvivorId, now, LogKind.Unmerged,
            record.Forced == true ? $"Merge {record.Id} undone; changes made since the merge were kept." : $"Merge {record.Id} undone.",
            new JsonObject { ["mergeId"] = record.Id, ["restoredIds"] = new JsonArray(record.MergedIds.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()) });
        survivorEntry.Id = undoId;
        await WriteHeldAsync(record.Id, restore, [survivorEntry], ct);
        record.State = MergeState.Undone;
        record.UndoneAt = now;
        await AdvanceAsync(record, etag, ct);
        await faults.AfterWriteAsync("undone");
    }

    /// <summary>
    /// Records the end state of a roll-forward. Another process may have rolled the same merge
    /// forward meanwhile (all its steps are idempotent): reaching the same state is success.
    /// </summary>
    private async Task AdvanceAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        try
        {
            await journal.UpdateAsync(record, etag, ct);
        }
        catch (ConcurrencyException)
        {
            var current = await journal.FindAsync(record.Id, ct);
            if (current?.Record.State != record.State)
            {
                throw;
            }
        }
    }

    /// <summary>Writes a record's image if the merge still holds it (else it was written already), releasing the hold.</summary>
    private async Task WriteHeldAsync(string mergeId, Lead image, IReadOnlyList<LogEntry> logs, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await leads.FindRowAsync(image.Id, ct);
            if (row is null || LeadRows.MergeLockOf(row) != mergeId)
            {
                return;
            }
            try
            {
                await leads.UpdateAsync(image, row.ETag, logs, ct, releaseLock: true);
                await faults.AfterWriteAsync("write " + image.Id);
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxResolveAttempts)
            {
            }
        }
    }

    private async Task AnnounceAsync(MergeRecord record, CancellationToken ct)
    {
        await Task.WhenAll(record.MergedIds.Append(record.SurvivorId).Select(id => queue.SendAsync(new IngestMessage(id, Ids.New()), ct)));
        await faults.AfterWriteAsync("announce");
    }

    /// <summary>The survivor's history entry: every other record's complete values, so that nothing is lost.</summary>
    private static LogEntry MergedEntry(string mergeId, string survivorId, IReadOnlyList<string> mergedIds, Dictionary<string, Lead> before, DateTimeOffset at)
    {
        var records = new JsonObject();
        foreach (var id in mergedIds)
        {
            records[id] = JsonSerializer.SerializeToNode(before[id], JsonDefaults.Options);
        }
        var entry = LeadService.Entry(survivorId, at, LogKind.Merged, $"Merged {mergedIds.Count} record(s) into this one.", new JsonObject
        {
            ["mergeId"] = mergeId,
            ["mergedIds"] = new JsonArray(mergedIds.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
            ["survivorBefore"] = JsonSerializer.SerializeToNode(before[survivorId], JsonDefaults.Options),
            ["records"] = records,
        });
        entry.Id = mergeId;
        return entry;
    }

    /// <summary>The user-visible fields of the survivor that differ from what the merge left.</summary>
    private static Dictionary<string, JsonNode?> Changes(Lead merged, Lead current)
    {
        var was = View(merged);
        var now = View(current);
        return now.Where(p => !JsonNode.DeepEquals(p.Value, was[p.Key])).ToDictionary(p => p.Key, p => p.Value?.DeepClone());
    }

    private static JsonObject View(Lead lead)
    {
        var view = JsonSerializer.SerializeToNode(LeadInput.From(lead), JsonDefaults.Options)!.AsObject();
        view["status"] = LeadRows.Wire(lead.Status);
        view["lostReason"] = lead.LostReason;
        view["convertedAt"] = lead.ConvertedAt?.ToString("O");
        return view;
    }

    /// <summary>The survivor as it was before the merge, with any changes made since laid over it.</summary>
    private static Lead RestoreImage(Lead before, Lead current, Dictionary<string, JsonNode?> changes)
    {
        if (changes.Count == 0)
        {
            return before;
        }
        var view = View(before);
        foreach (var (field, value) in changes)
        {
            view[field] = value?.DeepClone();
        }
        var restored = before.Clone();
        JsonInput.Deserialize<LeadInput>(new JsonObject(view.Where(p => p.Key is not ("status" or "lostReason" or "convertedAt"))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))).ApplyTo(restored);
        restored.Status = current.Status;
        restored.LostReason = current.LostReason;
        restored.ConvertedAt = current.ConvertedAt;
        restored.UpdatedAt = current.UpdatedAt;
        return restored;
    }
}
