using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>
/// Changes to one record the API asks for: a merge patch, lose, win, restore, a note, a dismissed
/// pair. The record decides each change (<see cref="Lead"/>); <see cref="LeadUpdater"/> writes it.
/// Each is the request's actor's (<see cref="ActorScope"/>).
/// </summary>
public sealed class LeadEditor(LeadStore leads, LeadUpdater updater, LeadReferences references, IngestQueue queue, DecisionTally tally, PhoneNumbers phones, TimeProvider clock)
{
    /// <summary>JSON merge patch (RFC 7396) of the writable fields; If-Match is honoured.</summary>
    public async Task<Lead> PatchAsync(string id, MergePatch patch, string? ifMatch, CancellationToken ct)
    {
        var readOnly = patch.FieldNames.Where(k => LeadFields.ReadOnly.Contains(k)).ToList();
        if (readOnly.Count > 0)
        {
            var errors = new ValidationErrors();
            readOnly.ForEach(f => errors.Add(f, "This field cannot be changed with PATCH."));
            throw new ValidationException(errors);
        }
        return await updater.ChangeAsync(id, ifMatch, async (lead, now) =>
        {
            var input = JsonInput.Deserialize<LeadInput>(patch.ApplyTo(lead.Writable()));
            var errors = LeadValidator.Validate(input, phones, requireContact: false);
            await references.CheckAsync(input, errors, ct);
            if (!errors.IsEmpty)
            {
                throw new ValidationException(errors);
            }
            return lead.Edit(input, now, ActorScope.Current);
        }, ct);
    }

    public Task<Lead> LoseAsync(string id, string? reason, CancellationToken ct)
    {
        if (reason is { Length: > LeadValidator.MaxTextLength } || (reason ?? "").Any(char.IsControl))
        {
            throw ValidationException.For("reason", $"The reason must be at most {LeadValidator.MaxTextLength} characters, without control characters.");
        }
        return updater.ChangeAsync(id, null, (lead, now) => Task.FromResult<LeadChange?>(lead.Lose(reason, now, ActorScope.Current)), ct);
    }

    public Task<Lead> WinAsync(string id, CancellationToken ct) =>
        updater.ChangeAsync(id, null, (lead, now) => Task.FromResult<LeadChange?>(lead.Win(now, ActorScope.Current)), ct);

    public Task<Lead> RestoreAsync(string id, CancellationToken ct) =>
        updater.ChangeAsync(id, null, (lead, now) => Task.FromResult<LeadChange?>(lead.Restore(now, ActorScope.Current)), ct);

    /// <param name="entryId">Chosen by the caller, so that a retry under the same Idempotency-Key adds the same note.</param>
    public async Task<LogEntry> AddNoteAsync(string id, string? message, string entryId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(message) || message.Length > LeadValidator.MaxDescriptionLength
            || message.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw ValidationException.For("message", $"A note needs 1 to {LeadValidator.MaxDescriptionLength} characters, without control characters.");
        }
        return await Retry.OnConflictAsync(async ct =>
        {
            var row = await updater.ReadFreeAsync(id, ct);
            var lead = row.ToLead().ThrowIfMerged();
            var entry = LogEntries.New(lead.Id, clock.GetUtcNow(), LogKind.Note, message, null, ActorScope.Current);
            entry.Id = entryId;
            if (row.Anonymous)
            {
                // The capture becomes the team's: its index rows change form in a check.
                await queue.AnnounceChangeAsync(lead.Id, row.Version, ct);
            }
            lead.RespondedBy(ActorScope.Current, entry.At);
            if (lead.FirstResponseAt == entry.At)
            {
                // The owner's first note answers the record: it is written with the note.
                await leads.UpdateAsync(lead, row, [entry], ct);
                return entry;
            }
            // Conditional on the record's version, so that a merge taking the record's log
            // meanwhile either sees this note or makes it try again.
            await leads.AddLogAsync(entry, row, ct);
            return entry;
        }, ct);
    }

    /// <summary>
    /// Marks a pair "not a duplicate": it no longer counts for either record, and each rule it was
    /// flagged on counts a dismissal (observed precision).
    /// </summary>
    public async Task DismissAsync(string id, string otherId, CancellationToken ct)
    {
        if (id == otherId)
        {
            throw ValidationException.For("otherId", "A record is never similar to itself.");
        }
        var pair = await Task.WhenAll(leads.ReadHeadAsync(id, ct), leads.ReadHeadAsync(otherId, ct));
        (pair[0] ?? throw new NotFoundException("record", id)).Lead.ThrowIfMerged();
        (pair[1] ?? throw new NotFoundException("record", otherId)).Lead.ThrowIfMerged();
        // Counted before the edges go: a retry after a crash in between still finds what the pair
        // was flagged on, and the tally's marker keeps it from counting twice.
        var edge = pair[0]!.Edges.FirstOrDefault(e => e.Id == otherId) ?? pair[1]!.Edges.FirstOrDefault(e => e.Id == id);
        try
        {
            await tally.DismissedAsync(id, otherId, edge?.MatchedOn ?? [], ct);
        }
        catch (ConcurrencyException)
        {
            // Every decision of the tenant writes one counts row: a person's "not a duplicate" is
            // never refused because a statistic lost its race; that one dismissal goes uncounted.
        }
        await leads.DismissAsync(id, otherId, ct);
        // Both records' duplicateCheck stop counting the pair.
        await queue.CheckAsync([id, otherId], ct);
    }
}
