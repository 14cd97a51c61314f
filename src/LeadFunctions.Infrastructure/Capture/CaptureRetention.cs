using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Capture;

/// <summary>
/// The capture table's clean-up (SPEC 4.7): rate rows of windows before the last minute, content
/// claims older than the repeat window, idempotency keys older than theirs. The table holds about
/// a day of captures at most, so it is read whole, a page at a time; a row is deleted only as it
/// was read, so a claim taken over meanwhile stays.
/// </summary>
public sealed class CaptureRetention(StorageClients clients)
{
    /// <returns>The rows deleted.</returns>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, TimeSpan contentClaims, TimeSpan idempotencyKeys, Func<Task> written, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var window = now.ToUnixTimeSeconds() / 60;
        var deleted = 0;
        await foreach (var page in clients.Capture.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: ct).AsPages())
        {
            deleted += await TableBatches.DeleteAsync(clients.Capture, page.Values.Where(Expired), written, ct);
        }
        return deleted;

        bool Expired(TableEntity row)
        {
            if (CaptureRateLimit.WindowOf(row.PartitionKey) is { } rowWindow)
            {
                return rowWindow < window - 1;
            }
            if (!row.PartitionKey.StartsWith(CaptureGuard.ClaimPrefix, StringComparison.Ordinal) || row.GetDateTimeOffset(CaptureGuard.AtColumn) is not { } at)
            {
                return false;
            }
            var keep = row.RowKey.StartsWith(CaptureGuard.IdempotencyPrefix, StringComparison.Ordinal) ? idempotencyKeys : contentClaims;
            return now - at > keep;
        }
    }
}
