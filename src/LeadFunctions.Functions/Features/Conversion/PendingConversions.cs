using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>
/// A merge-then-convert under way, marked on the requested record: the merge and the conversion
/// are two operations, and a retry after a crash between them finishes the second.
/// </summary>
public sealed class PendingConversions(LeadUpdater updater, LeadStore leads, RecordConverter converter, WriteFaults faults)
{
    /// <summary>
    /// Finishes a merge-then-convert whose process died after merging: the record was merged
    /// (into the record to convert) or kept records merged into it. Null when there is nothing to
    /// finish; a merge that never happened leaves nothing either, and its mark is dropped. The
    /// conversion is written in the name of whoever asked for it, not of whoever retries.
    /// </summary>
    public async Task<ConversionResult?> ResumeAsync(StoredLead row, CancellationToken ct)
    {
        if (row.PendingConversion is not { } pending)
        {
            return null;
        }
        var id = row.Id;
        var lead = row.ToLead();
        var targetId = lead.Status == LeadStatus.Merged ? await SurvivorOfAsync(lead, ct) : null;
        if (targetId is null && lead.Status != LeadStatus.Merged)
        {
            foreach (var other in pending.MergeWith)
            {
                if (await leads.FindAsync(other, ct) is { Status: LeadStatus.Merged } absorbed && absorbed.MergedInto == id)
                {
                    targetId = id;
                    break;
                }
            }
        }
        if (targetId is null)
        {
            await ClearAsync(id, null, ct);
            return null;
        }
        var result = await converter.ConvertAsync(targetId, pending.Choice, pending.UserId, pending.TeamId, afterMerge: true, pending.Actor ?? Domain.Access.Actor.System, ct);
        await ClearAsync(id, targetId, ct);
        return result;
    }

    private async Task<string?> SurvivorOfAsync(Lead lead, CancellationToken ct)
    {
        for (var hops = 0; hops < 10 && lead.Status == LeadStatus.Merged && lead.MergedInto is { } next; hops++)
        {
            lead = await leads.FindAsync(next, ct) ?? throw new NotFoundException("record", next);
        }
        return lead.Status == LeadStatus.Merged ? null : lead.Id;
    }

    /// <summary>Marks the record (as it is now: a duplicate check may have touched it since it was read).</summary>
    public async Task MarkAsync(StoredLead row, PendingConversion pending, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            var current = await updater.ReadFreeAsync(row.Id, ct);
            ConversionGuard.EnsureConvertible(current.ToLead());
            await leads.SetPendingConversionAsync(current, pending, ct);
            await faults.AfterWriteAsync("conversion pending");
        }, ct);

    /// <summary>Drops the mark once the conversion is done (the converted record's own mark went with its final write).</summary>
    public async Task ClearAsync(string id, string? convertedId, CancellationToken ct)
    {
        if (id == convertedId)
        {
            return;
        }
        try
        {
            await Retry.OnConflictAsync(async ct =>
            {
                var row = await leads.ReadAsync(id, ct);
                if (row?.PendingConversion is null)
                {
                    return;
                }
                await leads.SetPendingConversionAsync(row, null, ct);
            }, ct);
        }
        catch (ConcurrencyException)
        {
            // Still changing after every try: the mark stays, as it would after a crash here.
        }
    }
}
