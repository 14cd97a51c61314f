using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>
/// Merges (SPEC 4.4) so that, seen through the API, a merge is applied whole or not at all even
/// when the process dies between two writes. The protocol (docs/merge.md): journal (images of
/// every record before and after) → hold every record, each conditional on the version read →
/// commit (one write of the journal) → move the logs and write the images → applied. Before the
/// commit a dead merge is rolled back, after it rolled forward (<see cref="MergeRecovery"/>,
/// <see cref="MergeSteps"/>); undo (<see cref="UndoService"/>) follows the same pattern. The
/// journal holds who merged, so that whoever rolls the merge forward writes its history in their name.
/// </summary>
public sealed class MergeService(
    LeadStore leads,
    MergeStore journal,
    MergeSteps steps,
    MergeRecovery recovery,
    DirectoryStore directory,
    WriteFaults faults,
    TimeProvider clock)
{
    public async Task<MergeResponse> MergeAsync(IReadOnlyList<string> leadIds, Domain.Merging.MergeOptions options, bool dryRun, CancellationToken ct)
    {
        var idErrors = MergeRules.ValidateIds(leadIds);
        if (!idErrors.IsEmpty)
        {
            throw new ValidationException(idErrors);
        }
        try
        {
            // A background check touched a record between reading and holding it: plan again.
            return await Retry.OnConflictAsync(async ct => await MergeOnceAsync(leadIds, options, dryRun, ct), ct, conflict: e => e is RecordMovedOnException);
        }
        catch (RecordMovedOnException)
        {
            throw new ConflictException("The records kept changing while merging: nothing was merged.");
        }
    }

    private async Task<MergeResponse> MergeOnceAsync(IReadOnlyList<string> leadIds, Domain.Merging.MergeOptions options, bool dryRun, CancellationToken ct)
    {
        var actor = ActorScope.Current;
        var rows = await recovery.ReadFreeAsync(leadIds, ct);
        var records = rows.Select(r => r.ToLead()).ToList();
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
        LeadRows.Log(MergeSteps.MergedEntry(entryIds[outcome.SurvivorId], mergeId, outcome.SurvivorId, outcome.MergedIds, before, now, actor));
        if (dryRun)
        {
            return new MergeResponse(null, outcome.SurvivorId, outcome.MergedIds, outcome.Result, outcome.Sources);
        }

        var after = outcome.MergedIds.Select(id => MergeRules.Tombstone(before[id], outcome.SurvivorId, now)).Append(outcome.Result).ToList();
        var moved = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var id in outcome.MergedIds)
        {
            moved[id] = (await leads.LogRowsAsync(id, ct)).Keys.ToList();
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
            Actor = actor,
            EntryIds = entryIds,
        };
        var version = await journal.AddAsync(record, ct);
        await faults.AfterWriteAsync("journal");
        await steps.WatchAsync(record, ct);

        // In id order, so that two merges over the same records meet on the same first record.
        try
        {
            foreach (var row in rows.OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                await leads.LockAsync(row, mergeId, ct);
                await faults.AfterWriteAsync("hold " + row.Id);
            }
        }
        catch (ConcurrencyException e)
        {
            await recovery.RollBackAsync(record, version, ct);
            if (await recovery.MovedOnByBackgroundAsync(e.LeadId, before[e.LeadId], ct))
            {
                throw new RecordMovedOnException();
            }
            throw new ConflictException("A record changed, or another merge took it, while merging: nothing was merged.");
        }

        record.State = MergeState.Committed;
        try
        {
            version = await journal.UpdateAsync(record, version, ct);
        }
        catch (ConcurrencyException)
        {
            // Someone took this merge for dead and rolled it back.
            throw new ConflictException("The merge took too long and was rolled back: nothing was merged.");
        }
        await faults.AfterWriteAsync("commit");
        await steps.ApplyAsync(record, version, ct);
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

    public async Task<MergeRecord> GetAsync(string mergeId, CancellationToken ct)
    {
        await recovery.ResolveAsync(mergeId, ct, conflictWhenBusy: false);
        return (await journal.FindAsync(mergeId, ct) ?? throw new NotFoundException("merge", mergeId)).Record;
    }
}
