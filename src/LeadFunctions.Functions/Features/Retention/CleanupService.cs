using LeadFunctions.Functions.Features.Erasure;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Imports;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.Infrastructure.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Retention;

/// <summary>What one clean-up pass deleted, per kind of row.</summary>
public sealed record CleanupCounts(int CaptureRows, int OutboxRows, int MergeRows, int WebhookDeliveries, int IdempotencyKeys, int ImportRows);

/// <summary>
/// The clean-up of SPEC 4.7, run by a timer: expired capture claims, idempotency keys (of capture
/// and of the other creates) and rate rows, delivered outbox rows, the working rows of merges at
/// rest that undo does not need, webhook deliveries that are over, and the rows and claims of
/// finished imports, each once its window has passed. It is also the background pass that sends
/// on an erasure stalled for ten minutes. Every pass deletes only what is expired when it reads
/// it, a partition at a time, so a pass killed mid-way leaves the
/// rest for the next one, and nothing live is touched: a merge that is running or recovering is
/// skipped, an applied merge keeps all it needs to be undone.
/// </summary>
public sealed class CleanupService(
    CaptureRetention captureRows,
    Infrastructure.Idempotency.IdempotencyKeys idempotencyKeys,
    OutboxStore outbox,
    MergeStore merges,
    WebhookStore webhooks,
    ImportStore imports,
    ErasureService erasures,
    IOptions<RetentionOptions> retention,
    IOptions<CaptureOptions> capture,
    WriteFaults faults,
    TimeProvider clock,
    ILogger<CleanupService> logger)
{
    private RetentionOptions Windows => retention.Value;

    public async Task<CleanupCounts> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Task Written() => faults.AfterWriteAsync("cleanup batch");
        var counts = new CleanupCounts(
            await captureRows.DeleteExpiredAsync(now, capture.Value.RepeatWindow, Windows.IdempotencyKeys, Written, ct),
            await outbox.DeleteSentBeforeAsync(now - Windows.SentEvents, Written, ct),
            await MergesAsync(now, Written, ct),
            await webhooks.DeleteOverBeforeAsync(now - Windows.WebhookDeliveries, Written, ct),
            await idempotencyKeys.DeleteExpiredAsync(now - Windows.IdempotencyKeys, Written, ct),
            await imports.DeleteFinishedBeforeAsync(now - Windows.Imports, Written, ct));
        var resumed = await erasures.ResumeStalledAsync(TimeSpan.FromMinutes(10), ct);
        if (resumed > 0)
        {
            logger.LogWarning("Clean-up sent {Count} stalled erasure(s) on again", resumed);
        }
        logger.LogInformation("Clean-up deleted {CaptureRows} capture rows, {OutboxRows} sent events, {MergeRows} merge working rows, {WebhookDeliveries} webhook deliveries, {IdempotencyKeys} idempotency keys and {ImportRows} import rows",
            counts.CaptureRows, counts.OutboxRows, counts.MergeRows, counts.WebhookDeliveries, counts.IdempotencyKeys, counts.ImportRows);
        return counts;
    }

    private async Task<int> MergesAsync(DateTimeOffset now, Func<Task> written, CancellationToken ct)
    {
        var deleted = 0;
        var before = now - Windows.FinishedMerges;
        await foreach (var record in merges.FinishedBeforeAsync(before, ct))
        {
            deleted += await merges.DeleteWorkingRowsAsync(record, before, written, ct);
        }
        return deleted;
    }
}
