using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>
/// Checks every record again, a page per message (after the duplicate rules change, or to repair
/// the lists): one page's records are listed and their checks queued, then the next page's sweep.
/// </summary>
public sealed class RuleSweep(LeadStore leads, IngestQueue queue)
{
    /// <summary>Records a sweep message queues a check of (and so its execution's size).</summary>
    public const int SweepPageSize = 100;

    /// <summary>
    /// One page of the sweep: a check for each record (merged ones have no keys and are left out),
    /// then the sweep of the next page. A page handled twice only checks its records twice, which is harmless.
    /// </summary>
    public async Task RunAsync(string token, CancellationToken ct)
    {
        var page = await leads.ScanAsync(SweepPageSize, token.Length == 0 ? null : token, ct);
        // The sweep also lists every record it passes, which repairs (or first builds) the projection.
        await leads.ListAsync(page.Items, ct);
        await queue.CheckAsync(page.Items.Select(row => row.Id), ct);
        if (page.ContinuationToken is { } next)
        {
            await queue.SendAsync(SweepMessage.From(next), ct);
        }
    }
}
