using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>
/// Undo (SPEC 4.4): the merged records come back as they were, the survivor's fields return to
/// their values before the merge and the moved log entries go home, through the same journal
/// protocol as the merge, under an attempt id of its own.
/// </summary>
public sealed class UndoService(
    LeadStore leads,
    MergeStore journal,
    MergeSteps steps,
    MergeRecovery recovery,
    WriteFaults faults,
    TimeProvider clock)
{
    /// <summary>
    /// Undo: the merged records come back as they were, the survivor's fields return to their
    /// values before the merge and the moved log entries go home. A survivor changed since the
    /// merge answers 409 unless <paramref name="force"/>, which keeps (and logs) those changes.
    /// </summary>
    public async Task<MergeRecord> UndoAsync(string mergeId, bool force, CancellationToken ct)
    {
        try
        {
            // A background check touched a record between reading and holding it: look again.
            return await Retry.OnConflictAsync(async ct => await UndoOnceAsync(mergeId, force, ct), ct, conflict: e => e is RecordMovedOnException);
        }
        catch (RecordMovedOnException)
        {
            throw new ConflictException("The records kept changing while undoing: nothing was undone.");
        }
    }

    private async Task<MergeRecord> UndoOnceAsync(string mergeId, bool force, CancellationToken ct)
    {
        await recovery.ResolveAsync(mergeId, ct, conflictWhenBusy: true);
        var (record, version) = await journal.FindAsync(mergeId, ct) ?? throw new NotFoundException("merge", mergeId);
        switch (record.State)
        {
            case MergeState.Undone:
                throw new ConflictException("This merge was undone already.");
            case MergeState.Aborted:
                throw new ConflictException("This merge was never applied.");
        }
        if (record.ErasedAt is not null)
        {
            throw new ConflictException("This merge can no longer be undone: a person whose record it merged was erased at their request (GDPR article 17), and with them the images an undo needs.");
        }

        var rows = new Dictionary<string, StoredLead>(StringComparer.Ordinal);
        foreach (var id in record.MergedIds.Append(record.SurvivorId))
        {
            rows[id] = await leads.ReadAsync(id, ct) ?? throw new NotFoundException("record", id);
        }
        var survivor = rows[record.SurvivorId].ToLead();
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
        var image = RestoreImage(before[record.SurvivorId], survivor, changes, record.MergedIds);
        ConsentMerge.KeepStillMerged(image, await MergedSinceAsync(record, ct));
        await journal.SaveRestoreImageAsync(mergeId, attemptId, image, ct);
        await faults.AfterWriteAsync("restore image");
        record.State = MergeState.UndoPending;
        record.UndoAttempt = attemptId;
        record.UndoStartedAt = clock.GetUtcNow();
        // Kept in the journal: whoever rolls the undo forward writes it in this actor's name.
        record.UndoneBy = ActorScope.Current;
        record.UndoEntryIds = record.MergedIds.Append(record.SurvivorId).ToDictionary(id => id, _ => Ids.New(), StringComparer.Ordinal);
        record.Forced = changes.Count > 0 ? true : null;
        try
        {
            version = await journal.UpdateAsync(record, version, ct);
        }
        catch (ConcurrencyException)
        {
            throw new ConflictException("Another undo of this merge is under way.");
        }
        await faults.AfterWriteAsync("undo pending");
        await steps.WatchAsync(record, ct);

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
            await recovery.RollBackUndoAsync(record, version, ct);
            if (await recovery.MovedOnByBackgroundAsync(e.LeadId, rows[e.LeadId].ToLead(), ct))
            {
                throw new RecordMovedOnException();
            }
            throw new ConflictException("A record changed while undoing: nothing was undone.");
        }
        record.State = MergeState.Undoing;
        try
        {
            version = await journal.UpdateAsync(record, version, ct);
        }
        catch (ConcurrencyException)
        {
            await recovery.ReleaseAsync(record, hold, ct);
            throw new ConflictException("The undo took too long and was rolled back: nothing was undone.");
        }
        await faults.AfterWriteAsync("commit undo");
        await steps.UndoForwardAsync(record, version, ct);
        return record;
    }

    /// <summary>The user-visible fields of the survivor that differ from what the merge left.</summary>
    private static Dictionary<string, JsonNode?> Changes(Lead merged, Lead current)
    {
        var was = View(merged);
        var now = View(current);
        return now.Where(p => !JsonNode.DeepEquals(p.Value, was[p.Key])).ToDictionary(p => p.Key, p => p.Value?.DeepClone());
    }

    /// <summary>
    /// The fields of the view that the server sets, not an input. The touches are among them because
    /// a later merge into the survivor moves them, and that is a change since this merge like any other.
    /// </summary>
    private static readonly string[] ServerSet = ["status", "lostReason", "convertedAt", "firstTouch", "lastTouch"];

    private static JsonObject View(Lead lead)
    {
        var view = JsonSerializer.SerializeToNode(LeadInput.From(lead), JsonDefaults.Options)!.AsObject();
        view["status"] = LeadRows.Wire(lead.Status);
        view["lostReason"] = lead.LostReason;
        view["convertedAt"] = lead.ConvertedAt?.ToString("O");
        view["firstTouch"] = JsonSerializer.SerializeToNode(lead.FirstTouch, JsonDefaults.Options);
        view["lastTouch"] = JsonSerializer.SerializeToNode(lead.LastTouch, JsonDefaults.Options);
        return view;
    }

    /// <summary>
    /// The records merged into the survivor after this merge and not undone since, as they were
    /// merged: read from the survivor's history back to this merge's entry (newest first, so an
    /// undo's entry comes before its merge's). Consent needs them whether or not anything else changed.
    /// </summary>
    private async Task<List<Lead>> MergedSinceAsync(MergeRecord record, CancellationToken ct)
    {
        var stillMerged = new List<Lead>();
        var undone = new HashSet<string>(StringComparer.Ordinal);
        var ownEntry = record.EntryIds.GetValueOrDefault(record.SurvivorId);
        string? token = null;
        do
        {
            var page = await leads.LogAsync(record.SurvivorId, 100, token, ct);
            foreach (var entry in page.Items)
            {
                if (entry.Id == ownEntry || entry.At < record.CreatedAt)
                {
                    return stillMerged;
                }
                var laterMerge = entry.Data?["mergeId"]?.GetValue<string>();
                if (entry.Kind == LogKind.Unmerged && laterMerge is not null)
                {
                    undone.Add(laterMerge);
                }
                else if (entry.Kind == LogKind.Merged && laterMerge is not null && !undone.Contains(laterMerge) && entry.Data?["records"] is JsonObject records)
                {
                    stillMerged.AddRange(records.Select(r => r.Value.Deserialize<Lead>(JsonDefaults.Options)).OfType<Lead>());
                }
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
        return stillMerged;
    }

    /// <summary>The survivor as it was before the merge, with any changes made since laid over it.</summary>
    private static Lead RestoreImage(Lead before, Lead current, Dictionary<string, JsonNode?> changes, IReadOnlyCollection<string> mergedIds)
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
        JsonInput.Deserialize<LeadInput>(new JsonObject(view.Where(p => !ServerSet.Contains(p.Key))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))).ApplyTo(restored);
        restored.Status = current.Status;
        restored.LostReason = current.LostReason;
        restored.ConvertedAt = current.ConvertedAt;
        restored.UpdatedAt = current.UpdatedAt;
        // A later merge into the survivor moved its touches: they are chosen again without the
        // records coming back, so that the later merge's touches stay and none names a record gone home.
        if (changes.ContainsKey("firstTouch") || changes.ContainsKey("lastTouch"))
        {
            (restored.FirstTouch, restored.LastTouch) = Touches.Without(mergedIds, current, before);
        }
        return restored;
    }
}
