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
/// journal (images of every record before and after) → hold every record, each conditional on
/// the version read → commit (one write of the journal) → move the logs and write the images →
/// applied. Before the commit a dead merge is rolled back; after it, it is rolled forward; both
/// are idempotent, and whoever meets a held record resolves its merge first. An undo follows the
/// same pattern with its own attempt id.
/// </summary>
public sealed class MergeService(
    LeadStore leads,
    MergeStore journal,
    IngestQueue queue,
    DirectoryStore directory,
    WriteFaults faults,
    IOptions<MergeSettings> settings,
    TimeProvider clock)
{
    private const int MaxResolveAttempts = 5;

    public TimeSpan StaleAfter => settings.Value.StaleAfter;

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
        var rows = await ReadFreeAsync(leadIds, ct);
        var records = rows.Select(LeadRows.ToLead).ToList();
        var now = clock.GetUtcNow();
        // Only a salesperson given without a team needs the teams (the team then follows the salesperson).
        List<Team> teams = !string.IsNullOrWhiteSpace(options.UserId) && string.IsNullOrWhiteSpace(options.TeamId)
            ? await directory.TeamsByCreationAsync(ct)
            : [];
        var outcome = MergeRules.Plan(records, options, now, teams);
        await ValidateResultAsync(outcome.Result, options, ct);
        var mergeId = Ids.New(now);
        var before = records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var entryIds = records.ToDictionary(r => r.Id, _ => Ids.New(), StringComparer.Ordinal);
        // Refused here, before anything is written, if the history entry cannot be stored.
        LeadRows.Log(MergedEntry(entryIds[outcome.SurvivorId], mergeId, outcome.SurvivorId, outcome.MergedIds, before, now));
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
        await journal.WriteImagesAsync(mergeId, records, after, moved, () => faults.AfterWriteAsync("journal images"), ct);
        var record = new MergeRecord
        {
            Id = mergeId,
            State = MergeState.Pending,
            SurvivorId = outcome.SurvivorId,
            MergedIds = [.. outcome.MergedIds],
            // Staleness counts from here, not from the planning, which may have read long logs.
            CreatedAt = clock.GetUtcNow(),
            EntryIds = entryIds,
        };
        var etag = await journal.AddAsync(record, ct);
        await faults.AfterWriteAsync("journal");
        await WatchAsync(record, ct);

        // In id order, so that two merges over the same records meet on the same first record.
        try
        {
            foreach (var row in rows.OrderBy(r => r.PartitionKey, StringComparer.Ordinal))
            {
                await leads.LockAsync(row, mergeId, ct);
                await faults.AfterWriteAsync("hold " + row.PartitionKey);
            }
        }
        catch (ConcurrencyException e)
        {
            await RollBackAsync(record, etag, ct);
            if (await MovedOnByBackgroundAsync(e.LeadId, before[e.LeadId], ct))
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
    /// The result must be a record the API would accept: existing salesperson and team, and text
    /// within the limits (a joined description can outgrow them: pick one with fieldSources).
    /// </summary>
    private async Task ValidateResultAsync(Lead result, Domain.Merging.MergeOptions options, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (result.UserId is { } userId && await directory.FindAsync<Salesperson>(userId, ct) is null)
        {
            errors.Add(options.UserId is null ? "fieldSources" : "userId", $"No salesperson has the id '{userId}'.");
        }
        if (result.TeamId is { } teamId && await directory.FindTeamCachedAsync(teamId, ct) is null)
        {
            errors.Add(options.TeamId is null ? "fieldSources" : "teamId", $"No team has the id '{teamId}'.");
        }
        if (result.Description is { Length: > LeadValidator.MaxDescriptionLength })
        {
            errors.Add("fieldSources", $"The joined description would be longer than {LeadValidator.MaxDescriptionLength} characters: choose one record's with fieldSources.description.");
        }
        if (result.Tags.Count > LeadValidator.MaxTags)
        {
            errors.Add("fieldSources", $"The joined tags would be more than {LeadValidator.MaxTags}: choose one record's with fieldSources.tags.");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
    }

    /// <summary>
    /// A record as the API shows it: while a committed merge (or undo) is being written, the image
    /// it is bringing the record to, so that nobody sees it half done.
    /// </summary>
    public async Task<Lead> ViewAsync(Azure.Data.Tables.TableEntity row, CancellationToken ct)
    {
        var lead = LeadRows.ToLead(row);
        if (LeadRows.MergeLockOf(row) is not { } hold || await journal.FindAsync(MergeHolds.MergeIdOf(hold), ct) is not { } found)
        {
            return lead;
        }
        var record = found.Record;
        var image = record.State switch
        {
            MergeState.Committed => (await journal.AfterAsync(record.Id, ct)).GetValueOrDefault(lead.Id),
            MergeState.Undoing when lead.Id == record.SurvivorId => await journal.RestoreImageAsync(record.Id, record.UndoAttempt!, ct),
            MergeState.Undoing => (await journal.BeforeAsync(record.Id, ct)).GetValueOrDefault(lead.Id),
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
                // A background check touched a record between reading and holding it: look again.
            }
            catch (RecordMovedOnException)
            {
                throw new ConflictException("The records kept changing while undoing: nothing was undone.");
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

        var rows = new Dictionary<string, Azure.Data.Tables.TableEntity>(StringComparer.Ordinal);
        foreach (var id in record.MergedIds.Append(record.SurvivorId))
        {
            rows[id] = await leads.FindRowAsync(id, ct) ?? throw new NotFoundException("record", id);
        }
        var survivor = LeadRows.ToLead(rows[record.SurvivorId]);
        if (survivor.Status == LeadStatus.Merged)
        {
            throw new ConflictException($"The survivor was merged into {survivor.MergedInto} since: undo that merge first.", survivor.MergedInto);
        }
        var before = await journal.BeforeAsync(mergeId, ct);
        var after = (await journal.AfterAsync(mergeId, ct))[record.SurvivorId];
        var changes = Changes(after, survivor);
        if (changes.Count > 0 && !force)
        {
            throw new ConflictException(
                $"The survivor has changed since the merge ({string.Join(", ", changes.Select(c => c.Key))}); undo with force to keep those changes.");
        }

        var attemptId = Ids.New();
        await journal.SaveRestoreImageAsync(mergeId, attemptId, RestoreImage(before[record.SurvivorId], survivor, changes), ct);
        await faults.AfterWriteAsync("restore image");
        record.State = MergeState.UndoPending;
        record.UndoAttempt = attemptId;
        record.UndoStartedAt = clock.GetUtcNow();
        record.UndoEntryIds = record.MergedIds.Append(record.SurvivorId).ToDictionary(id => id, _ => Ids.New(), StringComparer.Ordinal);
        record.Forced = changes.Count > 0 ? true : null;
        try
        {
            etag = await journal.UpdateAsync(record, etag, ct);
        }
        catch (ConcurrencyException)
        {
            throw new ConflictException("Another undo of this merge is under way.");
        }
        await faults.AfterWriteAsync("undo pending");
        await WatchAsync(record, ct);

        var hold = MergeHolds.ForUndo(mergeId, attemptId);
        try
        {
            foreach (var (id, row) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                await leads.LockAsync(row, hold, ct);
                await faults.AfterWriteAsync("hold " + id);
            }
        }
        catch (ConcurrencyException e)
        {
            await RollBackUndoAsync(record, etag, ct);
            if (await MovedOnByBackgroundAsync(e.LeadId, LeadRows.ToLead(rows[e.LeadId]), ct))
            {
                throw new RecordMovedOnException();
            }
            throw new ConflictException("A record changed while undoing: nothing was undone.");
        }
        record.State = MergeState.Undoing;
        try
        {
            etag = await journal.UpdateAsync(record, etag, ct);
        }
        catch (ConcurrencyException)
        {
            await ReleaseAsync(record, hold, ct);
            throw new ConflictException("The undo took too long and was rolled back: nothing was undone.");
        }
        await faults.AfterWriteAsync("commit undo");
        await UndoForwardAsync(record, etag, ct);
        return record;
    }

    /// <summary>
    /// Frees a record from the merge holding it: a dead pending merge (or undo) is rolled back, a
    /// committed one finished, and a hold no journal explains is released.
    /// </summary>
    /// <exception cref="ConflictException">The merge is still running (pending and not stale).</exception>
    public async Task FreeAsync(string leadId, string hold, CancellationToken ct)
    {
        var mergeId = MergeHolds.MergeIdOf(hold);
        await ResolveAsync(mergeId, ct);
        if (await journal.FindAsync(mergeId, ct) is null)
        {
            await leads.UnlockAsync(leadId, hold, ct);
        }
    }

    /// <summary>
    /// Brings a merge to a resting state: a dead pending merge or undo is rolled back, a
    /// committed merge or undo finished, and leftover holds of dead attempts released.
    /// </summary>
    /// <exception cref="ConflictException">It is still running (pending and not stale) and <paramref name="conflictWhenBusy"/>.</exception>
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
            var now = clock.GetUtcNow();
            try
            {
                switch (record.State)
                {
                    case MergeState.Pending when now - record.CreatedAt < StaleAfter:
                    case MergeState.UndoPending when now - record.UndoStartedAt < StaleAfter:
                        if (conflictWhenBusy)
                        {
                            throw new ConflictException("The record is being merged or unmerged; try again in a moment.");
                        }
                        return;
                    case MergeState.Pending:
                        await RollBackAsync(record, etag, ct);
                        return;
                    case MergeState.UndoPending:
                        await RollBackUndoAsync(record, etag, ct);
                        return;
                    case MergeState.Committed:
                        await ApplyAsync(record, etag, ct);
                        return;
                    case MergeState.Undoing:
                        await UndoForwardAsync(record, etag, ct);
                        return;
                    case MergeState.Aborted:
                        await ReleaseAsync(record, record.Id, ct);
                        return;
                    case MergeState.Applied when record.DeadUndoAttempt is { } dead:
                        await ReleaseAsync(record, MergeHolds.ForUndo(record.Id, dead), ct);
                        return;
                    default:
                        return;
                }
            }
            catch (ConcurrencyException) when (attempt < MaxResolveAttempts)
            {
                // Someone else moved the merge on meanwhile: look again.
            }
            catch (ConcurrencyException)
            {
                throw new ConflictException("The merge kept changing while it was being resolved; try again.");
            }
        }
    }

    /// <summary>The records, each free of any merge hold, in request order.</summary>
    private async Task<List<Azure.Data.Tables.TableEntity>> ReadFreeAsync(IReadOnlyList<string> ids, CancellationToken ct)
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
            var held = rows.Where(r => LeadRows.MergeLockOf(r!) is not null).ToList();
            if (held.Count == 0)
            {
                return [.. rows.Select(r => r!)];
            }
            if (attempt == MaxResolveAttempts)
            {
                throw new ConflictException("The records are being merged; try again in a moment.");
            }
            foreach (var row in held)
            {
                await FreeAsync(row!.PartitionKey, LeadRows.MergeLockOf(row)!, ct);
            }
        }
    }

    /// <summary>True when the record's version moved on with no change a user made (its updatedAt is the same).</summary>
    private async Task<bool> MovedOnByBackgroundAsync(string id, Lead read, CancellationToken ct)
    {
        var current = await leads.FindRowAsync(id, ct);
        return current is not null && LeadRows.MergeLockOf(current) is null && LeadRows.ToLead(current).UpdatedAt == read.UpdatedAt;
    }

    private async Task RollBackAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        record.State = MergeState.Aborted;
        // Aborted first: from then on nobody can commit it, and the holds are merely leftovers.
        await AdvanceAsync(record, etag, ct);
        await faults.AfterWriteAsync("abort");
        await ReleaseAsync(record, record.Id, ct);
    }

    private async Task RollBackUndoAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        var attempt = record.UndoAttempt!;
        record.State = MergeState.Applied;
        record.DeadUndoAttempt = attempt;
        record.UndoAttempt = null;
        record.UndoEntryIds = null;
        record.UndoStartedAt = null;
        record.Forced = null;
        await journal.UpdateAsync(record, etag, ct);
        await faults.AfterWriteAsync("abort undo");
        await ReleaseAsync(record, MergeHolds.ForUndo(record.Id, attempt), ct);
    }

    private async Task ReleaseAsync(MergeRecord record, string hold, CancellationToken ct)
    {
        foreach (var id in record.MergedIds.Append(record.SurvivorId))
        {
            await leads.UnlockAsync(id, hold, ct);
        }
    }

    /// <summary>Rolls a committed merge forward. Every step checks what is already done.</summary>
    private async Task ApplyAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
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
            entry.Id = record.EntryIds[id];
            await WriteHeldAsync(record.Id, after[id], [entry], ct);
        }
        var merged = MergedEntry(record.EntryIds[record.SurvivorId], record.Id, record.SurvivorId, record.MergedIds, before, now);
        await WriteHeldAsync(record.Id, after[record.SurvivorId], [merged], ct);
        // After the writes: the checks see the result (and remove the tombstones from the index).
        await AnnounceAsync(record, ct);
        record.State = MergeState.Applied;
        record.AppliedAt = now;
        await AdvanceAsync(record, etag, ct);
        await faults.AfterWriteAsync("applied");
    }

    private async Task UndoForwardAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var attempt = record.UndoAttempt!;
        var hold = MergeHolds.ForUndo(record.Id, attempt);
        var before = await journal.BeforeAsync(record.Id, ct);
        var restore = await journal.RestoreImageAsync(record.Id, attempt, ct) ?? before[record.SurvivorId];
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
        var entryIds = record.UndoEntryIds ?? [];
        foreach (var id in record.MergedIds)
        {
            var entry = LeadService.Entry(id, now, LogKind.Unmerged, $"Merge {record.Id} undone: this record is back.", new JsonObject { ["mergeId"] = record.Id });
            entry.Id = entryIds.GetValueOrDefault(id) ?? Ids.New();
            await WriteHeldAsync(hold, before[id], [entry], ct);
        }
        var survivorEntry = LeadService.Entry(record.SurvivorId, now, LogKind.Unmerged,
            record.Forced == true ? $"Merge {record.Id} undone; changes made since the merge were kept." : $"Merge {record.Id} undone.",
            new JsonObject { ["mergeId"] = record.Id, ["restoredIds"] = new JsonArray(record.MergedIds.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()) });
        survivorEntry.Id = entryIds.GetValueOrDefault(record.SurvivorId) ?? Ids.New();
        await WriteHeldAsync(hold, restore, [survivorEntry], ct);
        await AnnounceAsync(record, ct);
        record.State = MergeState.Undone;
        record.UndoneAt = now;
        await AdvanceAsync(record, etag, ct);
        await faults.AfterWriteAsync("undone");
    }

    /// <summary>
    /// Records the end state of a step. Another process may have moved the same merge on
    /// meanwhile (all its steps are idempotent): finding it there, or further, is success.
    /// </summary>
    private async Task AdvanceAsync(MergeRecord record, Azure.ETag etag, CancellationToken ct)
    {
        try
        {
            await journal.UpdateAsync(record, etag, ct);
        }
        catch (ConcurrencyException)
        {
            var current = (await journal.FindAsync(record.Id, ct))?.Record.State;
            var reached = record.State switch
            {
                MergeState.Applied => current is MergeState.Applied or MergeState.UndoPending or MergeState.Undoing or MergeState.Undone,
                _ => current == record.State,
            };
            if (!reached)
            {
                throw;
            }
        }
    }

    /// <summary>Writes a record's image if <paramref name="hold"/> still holds it (else it was written already), releasing the hold.</summary>
    private async Task WriteHeldAsync(string hold, Lead image, IReadOnlyList<LogEntry> logs, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await leads.FindRowAsync(image.Id, ct);
            if (row is null || LeadRows.MergeLockOf(row) != hold)
            {
                return;
            }
            try
            {
                await leads.UpdateAsync(image, row, row.ETag, logs, ct, releaseLock: true);
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

    /// <summary>
    /// The watchdog: a delayed message that resolves the merge once it would count as stale, so
    /// that a merge whose process died is finished or rolled back even if nobody touches its records.
    /// </summary>
    private async Task WatchAsync(MergeRecord record, CancellationToken ct)
    {
        await queue.SendAsync(new IngestMessage(record.SurvivorId, Ids.New(), MergeId: record.Id), ct, StaleAfter + TimeSpan.FromSeconds(5));
        await faults.AfterWriteAsync("watchdog");
    }

    /// <summary>The survivor's history entry: every other record's complete values, so that nothing is lost.</summary>
    private static LogEntry MergedEntry(string entryId, string mergeId, string survivorId, IReadOnlyList<string> mergedIds, Dictionary<string, Lead> before, DateTimeOffset at)
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
        entry.Id = entryId;
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
