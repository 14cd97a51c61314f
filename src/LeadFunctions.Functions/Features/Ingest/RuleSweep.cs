using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>
/// Checks every record again, a page per message (after the duplicate rules change, or to repair
/// the lists): one page's records are listed and their checks queued, then the next page's sweep.
/// </summary>
/// <remarks>
/// A sweep for rules switched on is queued before the settings are written, so that a process
/// dying after the write still sweeps. It may run before the write lands, or for a write that
/// never does; so it first reads the settings itself. A rule on means the write landed: the sweep
/// proper follows once every instance's cached settings are newer than it. No rule on yet: it
/// looks again a little later, for longer than one settings write can take with the storage
/// client's retries; after that the write is taken as never made (its request failed, the rule
/// is off) and there is nothing to sweep for. Switching the rule on again queues a sweep of its own.
/// </remarks>
public sealed class RuleSweep(LeadStore leads, DirectoryStore directory, IngestQueue queue, WriteFaults faults, TimeProvider clock, ILogger<RuleSweep> logger)
{
    /// <summary>Records a sweep message queues a check of (and so its execution's size).</summary>
    public const int SweepPageSize = 100;

    /// <summary>
    /// How long a sweep waits for its settings write: the storage client's four tries of at most
    /// 100 s each, with their back-off, end well within it.
    /// </summary>
    public static readonly TimeSpan AwaitSettingsFor = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan LookAgainAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Checks read the settings through a per-instance cache: a check that starts this long after
    /// the write was seen reads it, reads that were still in flight when it landed included.
    /// </summary>
    private static readonly TimeSpan CachesRefreshedAfter = DirectoryStore.CacheLifetime + TimeSpan.FromSeconds(5);

    public Task RunAsync(SweepMessage message, CancellationToken ct) =>
        message.Rules is { Count: > 0 } rules ? StartAsync(message, rules, ct) : PageAsync(message.Sweep, ct);

    private async Task StartAsync(SweepMessage message, IReadOnlyList<MatchRule> rules, CancellationToken ct)
    {
        // Not the cached settings: this instance may hold them from before the write.
        var settings = await directory.GetSettingsAsync(ct);
        if (rules.Any(settings.DuplicateRules.IsOn))
        {
            await queue.SendAsync(SweepMessage.From(null), ct, CachesRefreshedAfter);
            return;
        }
        if (message.QueuedAt is { } queuedAt && clock.GetUtcNow() - queuedAt < AwaitSettingsFor)
        {
            await queue.SendAsync(message, ct, LookAgainAfter);
            await faults.AtAsync("sweep: settings not written yet");
            return;
        }
        logger.LogInformation("A sweep for {Rules} queued at {QueuedAt} never saw them switched on; the settings write it was queued for did not happen, so nothing is swept.",
            string.Join(", ", rules), message.QueuedAt);
    }

    /// <summary>
    /// One page of the sweep: a check for each record (merged ones have no keys and are left out),
    /// then the sweep of the next page. A page handled twice only checks its records twice, which is harmless.
    /// </summary>
    private async Task PageAsync(string token, CancellationToken ct)
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
