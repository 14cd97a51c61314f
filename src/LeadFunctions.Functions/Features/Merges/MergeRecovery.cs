using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>A record's version changed without any change a user made (a duplicate check): worth a new attempt.</summary>
internal sealed class RecordMovedOnException : Exception;

/// <summary>
/// Whoever meets a held record brings its merge to rest first (docs/merge.md, Recovery): a dead
/// pending merge or undo is rolled back, a committed one finished, leftover holds released; and
/// readers see a committed merge's images rather than a half-written one.
/// </summary>
public sealed class MergeRecovery(LeadStore leads, MergeStore journal, MergeSteps steps, WriteFaults faults, TimeProvider clock)
{
    public TimeSpan StaleAfter => steps.StaleAfter;

    /// <summary>
    /// A record as the API shows it: while a committed merge (or undo) is being written, the image
    /// it is bringing the record to, so that nobody sees it half done.
    /// </summary>
    public async Task<Lead> ViewAsync(StoredLead row, CancellationToken ct)
    {
        var lead = row.ToLead();
        if (row.MergeLock is not { } hold || await journal.FindAsync(MergeHolds.MergeIdOf(hold), ct) is not { } found)
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
        try
        {
            // Someone else moved the merge on meanwhile: look again.
            await Retry.OnConflictAsync(async ct =>
            {
                var found = await journal.FindAsync(mergeId, ct);
                if (found is null)
                {
                    return;
                }
                var (record, version) = found.Value;
                var now = clock.GetUtcNow();
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
                        await RollBackAsync(record, version, ct);
                        return;
                    case MergeState.UndoPending:
                        await RollBackUndoAsync(record, version, ct);
                        return;
                    case MergeState.Committed:
                        await steps.ApplyAsync(record, version, ct);
                        return;
                    case MergeState.Undoing:
                        await steps.UndoForwardAsync(record, version, ct);
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
            }, ct);
        }
        catch (ConcurrencyException)
        {
            throw new ConflictException("The merge kept changing while it was being resolved; try again.");
        }
    }

    /// <summary>The records, each free of any merge hold, in request order.</summary>
    public async Task<List<StoredLead>> ReadFreeAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        // Not Retry: no exception to retry on; held records are freed before the next look, and the last look gives up with its own error.
        for (var attempt = 1; ; attempt++)
        {
            var rows = await Task.WhenAll(ids.Select(id => leads.ReadAsync(id, ct)));
            for (var i = 0; i < ids.Count; i++)
            {
                if (rows[i] is null)
                {
                    throw new NotFoundException("record", ids[i]);
                }
            }
            var held = rows.Where(r => r!.MergeLock is not null).ToList();
            if (held.Count == 0)
            {
                return [.. rows.Select(r => r!)];
            }
            if (attempt == Retry.Attempts)
            {
                throw new ConflictException("The records are being merged; try again in a moment.");
            }
            foreach (var row in held)
            {
                await FreeAsync(row!.Id, row.MergeLock!, ct);
            }
        }
    }

    /// <summary>True when the record's version moved on with no change a user made (its updatedAt is the same).</summary>
    public async Task<bool> MovedOnByBackgroundAsync(string id, Lead read, CancellationToken ct)
    {
        var current = await leads.ReadAsync(id, ct);
        return current is not null && current.MergeLock is null && current.ToLead().UpdatedAt == read.UpdatedAt;
    }

    public async Task RollBackAsync(MergeRecord record, string version, CancellationToken ct)
    {
        record.State = MergeState.Aborted;
        // Aborted first: from then on nobody can commit it, and the holds are merely leftovers.
        await steps.AdvanceAsync(record, version, ct);
        await faults.AfterWriteAsync("abort");
        await ReleaseAsync(record, record.Id, ct);
    }

    public async Task RollBackUndoAsync(MergeRecord record, string version, CancellationToken ct)
    {
        var attempt = record.UndoAttempt!;
        record.State = MergeState.Applied;
        record.DeadUndoAttempt = attempt;
        record.UndoAttempt = null;
        record.UndoEntryIds = null;
        record.UndoStartedAt = null;
        record.UndoneBy = null;
        record.Forced = null;
        await journal.UpdateAsync(record, version, ct);
        await faults.AfterWriteAsync("abort undo");
        await ReleaseAsync(record, MergeHolds.ForUndo(record.Id, attempt), ct);
    }

    public async Task ReleaseAsync(MergeRecord record, string hold, CancellationToken ct)
    {
        foreach (var id in record.MergedIds.Append(record.SurvivorId))
        {
            await leads.UnlockAsync(id, hold, ct);
        }
    }
}
