using LeadFunctions.Domain.Errors;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>
/// A merge's watchdog: a delayed ingest message that brings a merge to rest once it would count
/// as stale, so that a merge whose process died is finished or rolled back even if nobody touches
/// its records; and the wait of any message that meets a running merge.
/// </summary>
public sealed class MergeWatchdog(MergeRecovery merges, IngestQueue queue)
{
    /// <summary>Puts the message back for when a running merge will be done (or count as dead), instead of spending a try.</summary>
    public Task LaterAsync(IngestJob message, CancellationToken ct) =>
        queue.SendAsync(message, ct, merges.StaleAfter + TimeSpan.FromSeconds(1));

    /// <summary>A merge's watchdog: the merge is brought to rest, or looked at again later if still running.</summary>
    public async Task RunAsync(WatchdogMessage message, CancellationToken ct)
    {
        try
        {
            await merges.ResolveAsync(message.MergeId, ct);
        }
        catch (ConflictException)
        {
            await LaterAsync(message, ct);
        }
    }
}
