using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>
/// Duplicate detection on ingest. A message that cannot be read throws, so the host retries it
/// and then moves it to the poison queue without holding up the others. A check that throws is
/// tried again later with a growing wait, then shown failed (<see cref="IngestRecovery"/>); the
/// sweep finds records whose check never ended.
/// </summary>
public sealed class IngestFunction(IngestProcessor processor, RuleSweep sweep, MergeWatchdog watchdog, KeyRelink relink, IngestRecovery recovery, ILogger<IngestFunction> logger)
{
    /// <summary>The app setting holding the pending sweep's NCRONTAB schedule (default every minute).</summary>
    public const string SweepScheduleSetting = "Ingest:SweepSchedule";

    [Function("IngestLead")]
    public Task Run(
        [QueueTrigger(StorageNames.IngestQueue, Connection = ServiceCollectionExtensions.StorageSetting)] string message,
        long dequeueCount,
        CancellationToken ct)
    {
        // One queue, four jobs: a check of one record, a page of a sweep of all, a merge's watchdog,
        // the relink of the keys a check left pairs unwritten on.
        return IngestJob.Parse(message) switch
        {
            CheckMessage check => CheckAsync(check, dequeueCount, ct),
            SweepMessage page => sweep.RunAsync(page, ct),
            WatchdogMessage watch => WatchAsync(watch, ct),
            RelinkMessage keys => RelinkAsync(keys, ct),
            var other => throw new InvalidDataException($"The ingest queue has no job {other.GetType().Name}."),
        };
    }

    // The scope lives across the awaits, so every log line of the check carries its ids.
    private async Task CheckAsync(CheckMessage message, long dequeueCount, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["LeadId"] = message.LeadId, ["CheckId"] = message.CheckId });
        try
        {
            await processor.ProcessAsync(message, dequeueCount, ct);
        }
        // A change still to land is waited for by the host's redelivery, and a fault injected
        // where a process would die is left to the host as a crash would be.
        catch (Exception e) when (e is not (ChangeNotLandedException or InjectedFaultException or OperationCanceledException))
        {
            await recovery.RetryOrFailAsync(message, e, ct);
        }
    }

    private async Task WatchAsync(WatchdogMessage message, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["LeadId"] = message.LeadId, ["MergeId"] = message.MergeId });
        await watchdog.RunAsync(message, ct);
    }

    private async Task RelinkAsync(RelinkMessage message, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["LeadId"] = message.Relink });
        await relink.RunAsync(message, ct);
    }

    [Function("SweepPending")]
    public Task SweepPending([TimerTrigger("%" + SweepScheduleSetting + "%")] TimerInfo timer, CancellationToken ct) =>
        recovery.SweepPendingAsync(ct);
}
