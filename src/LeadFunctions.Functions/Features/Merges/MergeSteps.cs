using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>
/// The steps of the journal protocol that merges and undos share (docs/merge.md): rolling a
/// committed merge or undo forward, recording a step's end state, writing a held record, telling
/// ingest, and the watchdog. Every step checks what is already done, so whoever runs it again
/// after a crash (the request's retry, a reader, the watchdog) ends in the same state, and writes
/// the history in the name the journal holds (who merged, who undid), never in its own.
/// </summary>
public sealed class MergeSteps(
    LeadStore leads,
    MergeStore journal,
    IngestQueue queue,
    DecisionTally tally,
    WriteFaults faults,
    IOptions<MergeSettings> settings,
    TimeProvider clock)
{
    public TimeSpan StaleAfter => settings.Value.StaleAfter;

    /// <summary>Rolls a committed merge forward. Every step checks what is already done.</summary>
    public async Task ApplyAsync(MergeRecord record, string version, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A merge journaled before actors were recorded is finished by the system.
        var actor = record.Actor ?? Actor.System;
        await CountMergedAsync(record, ct);
        var before = await journal.BeforeAsync(record.Id, ct);
        var after = await journal.AfterAsync(record.Id, ct);
        var moved = await journal.MovedAsync(record.Id, ct);
        foreach (var id in record.MergedIds)
        {
            var keys = moved.GetValueOrDefault(id)?.ToHashSet(StringComparer.Ordinal) ?? [];
            var rows = (await leads.LogRowsAsync(id, ct)).Only(keys);
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
            var entry = LogEntries.New(id, now, LogKind.MergedInto, $"Merged into {record.SurvivorId}.",
                new JsonObject { ["mergeId"] = record.Id, ["survivorId"] = record.SurvivorId }, actor);
            entry.Id = record.EntryIds[id];
            await WriteHeldAsync(record.Id, after[id], [entry], ct);
        }
        var merged = MergedEntry(record.EntryIds[record.SurvivorId], record.Id, record.SurvivorId, record.MergedIds, before, now, actor);
        await WriteHeldAsync(record.Id, after[record.SurvivorId], [merged], ct);
        // After the writes: the checks see the result (and remove the tombstones from the index).
        await AnnounceAsync(record, ct);
        record.State = MergeState.Applied;
        record.AppliedAt = now;
        await AdvanceAsync(record, version, ct);
        await faults.AfterWriteAsync("applied");
    }

    public async Task UndoForwardAsync(MergeRecord record, string version, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var attempt = record.UndoAttempt!;
        var actor = record.UndoneBy ?? Actor.System;
        if (await tally.UndoneAsync(record.Id, ct))
        {
            await faults.AfterWriteAsync("count undo");
        }
        var hold = MergeHolds.ForUndo(record.Id, attempt);
        var before = await journal.BeforeAsync(record.Id, ct);
        var restore = await journal.RestoreImageAsync(record.Id, attempt, ct) ?? before[record.SurvivorId];
        var moved = await journal.MovedAsync(record.Id, ct);
        var survivorLog = await leads.LogRowsAsync(record.SurvivorId, ct);
        foreach (var id in record.MergedIds)
        {
            var keys = moved.GetValueOrDefault(id)?.ToHashSet(StringComparer.Ordinal) ?? [];
            var rows = survivorLog.Only(keys);
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
            var entry = LogEntries.New(id, now, LogKind.Unmerged, $"Merge {record.Id} undone: this record is back.", new JsonObject { ["mergeId"] = record.Id }, actor);
            entry.Id = entryIds.GetValueOrDefault(id) ?? Ids.New();
            await WriteHeldAsync(hold, before[id], [entry], ct);
        }
        var survivorEntry = LogEntries.New(record.SurvivorId, now, LogKind.Unmerged,
            record.Forced == true ? $"Merge {record.Id} undone; changes made since the merge were kept." : $"Merge {record.Id} undone.",
            new JsonObject { ["mergeId"] = record.Id, ["restoredIds"] = new JsonArray(record.MergedIds.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()) }, actor);
        survivorEntry.Id = entryIds.GetValueOrDefault(record.SurvivorId) ?? Ids.New();
        await WriteHeldAsync(hold, restore, [survivorEntry], ct);
        await AnnounceAsync(record, ct);
        record.State = MergeState.Undone;
        record.UndoneAt = now;
        await AdvanceAsync(record, version, ct);
        await faults.AfterWriteAsync("undone");
    }

    /// <summary>
    /// Counts the merge for the rules that flagged its pairs (observed precision), first: the
    /// records are still held as the merge found them, edges included, which the checks it
    /// announces remove from the tombstones. A step run again finds the merge counted.
    /// </summary>
    private async Task CountMergedAsync(MergeRecord record, CancellationToken ct)
    {
        var edges = new Dictionary<string, IReadOnlyList<SimilarRecord>>(StringComparer.Ordinal);
        foreach (var id in record.MergedIds)
        {
            edges[id] = (await leads.ReadHeadAsync(id, ct))?.Edges ?? [];
        }
        if (await tally.MergedAsync(record.Id, MergedPairs.RulesOf(record.SurvivorId, record.MergedIds, edges), ct))
        {
            await faults.AfterWriteAsync("count merge");
        }
    }

    /// <summary>
    /// Records the end state of a step. Another process may have moved the same merge on
    /// meanwhile (all its steps are idempotent): finding it there, or further, is success.
    /// </summary>
    public async Task AdvanceAsync(MergeRecord record, string version, CancellationToken ct)
    {
        try
        {
            await journal.UpdateAsync(record, version, ct);
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
    private async Task WriteHeldAsync(string hold, Lead image, IReadOnlyList<LogEntry> logs, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            var row = await leads.ReadAsync(image.Id, ct);
            if (row is null || row.MergeLock != hold)
            {
                return;
            }
            await leads.UpdateAsync(image, row, logs, ct, releaseLock: true);
            await faults.AfterWriteAsync("write " + image.Id);
        }, ct);

    private async Task AnnounceAsync(MergeRecord record, CancellationToken ct)
    {
        await queue.CheckAsync(record.MergedIds.Append(record.SurvivorId), ct);
        await faults.AfterWriteAsync("announce");
    }

    /// <summary>
    /// The watchdog: a delayed message that resolves the merge once it would count as stale, so
    /// that a merge whose process died is finished or rolled back even if nobody touches its records.
    /// </summary>
    public async Task WatchAsync(MergeRecord record, CancellationToken ct)
    {
        await queue.SendAsync(new WatchdogMessage(record.SurvivorId, record.Id), ct, StaleAfter + TimeSpan.FromSeconds(5));
        await faults.AfterWriteAsync("watchdog");
    }

    /// <summary>The survivor's history entry: every other record's complete values, so that nothing is lost.</summary>
    public static LogEntry MergedEntry(string entryId, string mergeId, string survivorId, IReadOnlyList<string> mergedIds, Dictionary<string, Lead> before, DateTimeOffset at, Actor actor)
    {
        var records = new JsonObject();
        foreach (var id in mergedIds)
        {
            records[id] = JsonSerializer.SerializeToNode(before[id], JsonDefaults.Options);
        }
        var entry = LogEntries.New(survivorId, at, LogKind.Merged, $"Merged {mergedIds.Count} record(s) into this one.", new JsonObject
        {
            ["mergeId"] = mergeId,
            ["mergedIds"] = new JsonArray(mergedIds.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
            ["survivorBefore"] = JsonSerializer.SerializeToNode(before[survivorId], JsonDefaults.Options),
            ["records"] = records,
        }, actor);
        entry.Id = entryId;
        return entry;
    }
}
