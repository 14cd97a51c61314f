using LeadFunctions.Infrastructure.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Events;

/// <summary>
/// The timer's pass for events left behind: a change whose process died before it woke the
/// dispatcher, or events whose sink stayed down past the queue's tries. Each such record is woken
/// again, so that nothing waits for its next change.
/// </summary>
public sealed class OutboxSweep(OutboxStore store, OutboxQueue queue, IOptions<EventsOptions> options, ILogger<OutboxSweep> logger)
{
    /// <summary>Records woken per pass; the next pass takes the rest.</summary>
    public const int MaxPerPass = 1_000;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var ids = await store.LeftBehindAsync(options.Value.SweepAfter, MaxPerPass, ct);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (id, token) => await queue.WakeAsync(id, token));
        if (ids.Count > 0)
        {
            logger.LogInformation("Outbox sweep woke {Count} record(s) with undelivered events", ids.Count);
        }
        return ids.Count;
    }
}
