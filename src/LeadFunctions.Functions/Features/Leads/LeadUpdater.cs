using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>
/// How every use case changes a record: read it once no merge holds it, let the record make its
/// change, write it conditionally on the version read, and announce the change first when a
/// check must follow.
/// </summary>
public sealed class LeadUpdater(LeadStore leads, IngestQueue queue, OutboxQueue outbox, MergeRecovery merges, TimeProvider clock)
{
    /// <summary>The record as stored, once no merge holds it (finishing or rolling back the merge that does).</summary>
    public async Task<StoredLead> ReadFreeAsync(string id, CancellationToken ct)
    {
        // Not Retry: no exception to retry on; a held record is freed before the next look, and running out of looks gives up with its own error.
        for (var attempt = 1; attempt <= Retry.Attempts; attempt++)
        {
            var row = await leads.ReadAsync(id, ct) ?? throw new NotFoundException("record", id);
            if (row.MergeLock is not { } hold)
            {
                return row;
            }
            await merges.FreeAsync(id, hold, ct);
        }
        throw new ConflictException("The record is being merged; try again in a moment.");
    }

    /// <summary>
    /// Read, change, write conditionally on the version read: a concurrent change makes it start
    /// again, unless the caller named the version it expects (If-Match), which then answers 412.
    /// </summary>
    /// <param name="byPerson">False for the app's own changes (routing): a capture stays anonymous, as no person acted on it.</param>
    public async Task<Lead> ChangeAsync(string id, string? ifMatch, Func<Lead, DateTimeOffset, Task<LeadChange?>> change, CancellationToken ct, bool byPerson = true)
    {
        try
        {
            return await Retry.OnConflictAsync(async ct =>
            {
                var row = await ReadFreeAsync(id, ct);
                var lead = row.ToLead();
                if (ifMatch is not null && ifMatch != "*" && ifMatch != lead.Version)
                {
                    throw new PreconditionFailedException("The record has changed since that version was read.");
                }
                lead.ThrowIfMerged();
                var now = clock.GetUtcNow();
                var result = await change(lead, now);
                if (result is null)
                {
                    return lead;
                }
                lead.UpdatedAt = now;
                lead.RespondedBy(ActorScope.Current, now);
                // A person acting on a capture makes it the team's: its index rows change form, so it is checked.
                var anonymous = row.Anonymous && byPerson;
                if (result.Check || anonymous)
                {
                    await queue.AnnounceChangeAsync(lead.Id, row.Version, ct);
                }
                try
                {
                    await leads.UpdateAsync(lead, row, [result.Entry], ct, byPerson: byPerson);
                }
                catch (ConcurrencyException e)
                {
                    throw new WriteLostRaceException(e);
                }
                if (!result.Check && !anonymous && OutboxWriter.Announces([result.Entry]))
                {
                    // A check delivers the events of the record it checks; a change without one wakes the
                    // dispatcher itself, after the write (should it die before, the timer sweep does).
                    await outbox.TryWakeAsync(lead.Id, ct);
                }
                return lead;
            }, ct, conflict: e => ifMatch is null && e is WriteLostRaceException);
        }
        catch (WriteLostRaceException)
        {
            throw new PreconditionFailedException("The record has changed since that version was read.");
        }
    }

    // Only the write's lost race is tried again (or, with If-Match, answered 412): a conflict met
    // while freeing the record from a merge stays the 409 it always was.
    private sealed class WriteLostRaceException(ConcurrencyException inner) : Exception(inner.Message, inner);
}
