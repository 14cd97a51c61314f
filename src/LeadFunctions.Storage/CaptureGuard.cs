using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Storage;

/// <summary>The outcome of a rate-limit check.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Guards of the public capture endpoint, held in Table Storage so that they hold across instances:
/// a per-IP rate limit and the claims that make a repeated capture return the first lead's id.
/// Each costs one request on the usual path.
/// </summary>
public sealed class CaptureGuard(StorageClients clients, IMemoryCache cache, TimeProvider clock, IOptions<CaptureOptions> options)
{
    private const int MaxAttempts = 16;
    private const string LeadIdColumn = "LeadId";
    private const string AtColumn = "At";
    private CaptureOptions Options => options.Value;

    /// <summary>
    /// A fixed one-minute window per IP in one row. The row's last known state is kept in memory, so
    /// the usual cost is one conditional write; a conflict (another instance counted meanwhile)
    /// re-reads and tries again.
    /// </summary>
    public async Task<RateDecision> TryAcquireAsync(string clientIp, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var now = clock.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / 60;
        var retryAfter = TimeSpan.FromSeconds(60 - (now.ToUnixTimeSeconds() % 60));
        // Hashed: the row needs to tell addresses apart, not to keep them.
        var partition = "rate:" + Hash(clientIp);
        var cacheKey = (nameof(CaptureGuard), partition);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var known = cache.Get<TableEntity>(cacheKey);
            if (known is null)
            {
                var first = new TableEntity(partition, "") { ["Window"] = window, ["Count"] = 1 };
                try
                {
                    var added = await clients.Capture.AddEntityAsync(first, ct);
                    first.ETag = added.Headers.ETag ?? ETag.All;
                    cache.Set(cacheKey, first, TimeSpan.FromMinutes(2));
                    return new RateDecision(true, TimeSpan.Zero);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    known = (await clients.Capture.GetEntityAsync<TableEntity>(partition, "", cancellationToken: ct)).Value;
                }
            }
            var count = known.GetInt64("Window") == window ? known.GetInt32("Count") ?? 0 : 0;
            if (count >= Options.RateLimitPerMinute)
            {
                cache.Set(cacheKey, known, TimeSpan.FromMinutes(2));
                return new RateDecision(false, retryAfter);
            }
            var next = new TableEntity(partition, "") { ["Window"] = window, ["Count"] = count + 1 };
            try
            {
                var updated = await clients.Capture.UpdateEntityAsync(next, known.ETag, TableUpdateMode.Replace, ct);
                next.ETag = updated.Headers.ETag ?? ETag.All;
                cache.Set(cacheKey, next, TimeSpan.FromMinutes(2));
                return new RateDecision(true, TimeSpan.Zero);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                // Another request counted meanwhile: step aside a little so that a burst from one
                // address spreads out instead of colliding again.
                cache.Remove(cacheKey);
                await Task.Delay(RandomNumberGenerator.GetInt32(1, 10 * (attempt + 1)), ct);
            }
        }
        // Heavy contention on one IP's row is itself a sign of a flood.
        return new RateDecision(false, retryAfter);
    }

    /// <summary>
    /// Claims this capture for <paramref name="newLeadId"/> under its Idempotency-Key (when given)
    /// and its content fingerprint, in one transaction of the contact's partition.
    /// </summary>
    /// <returns>The first lead's id when this capture repeats an earlier one, else null.</returns>
    public async Task<string?> ClaimAsync(string contact, string? idempotencyKey, string fingerprint, string newLeadId, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var partition = PartitionOf(contact);
        var now = clock.GetUtcNow();
        var rows = new List<TableEntity>();
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            rows.Add(Claim(partition, "idem:" + TableKeys.Escape(idempotencyKey), newLeadId, now));
        }
        var contentRow = Claim(partition, "content:" + fingerprint, newLeadId, now);
        rows.Add(contentRow);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var actions = rows.Select(r => new TableTransactionAction(
                r.ETag == default ? TableTransactionActionType.Add : TableTransactionActionType.UpdateReplace, r, r.ETag)).ToList();
            try
            {
                await clients.Capture.SubmitTransactionAsync(actions, ct);
                return null;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && e.FailedTransactionActionIndex is { } index)
            {
                var failed = rows[index];
                var existing = await clients.Capture.GetEntityIfExistsAsync<TableEntity>(partition, failed.RowKey, cancellationToken: ct);
                if (!existing.HasValue)
                {
                    failed.ETag = default;
                    continue;
                }
                var row = existing.Value!;
                var stale = ReferenceEquals(failed, contentRow) && now - (row.GetDateTimeOffset(AtColumn) ?? now) > Options.RepeatWindow;
                if (!stale)
                {
                    return row.GetString(LeadIdColumn);
                }
                // The same content long ago is a new capture: take the claim over.
                failed.ETag = row.ETag;
            }
        }
        throw new InvalidOperationException("The capture claim kept conflicting; try again.");
    }

    private static string PartitionOf(string contact) => "claim:" + Hash(contact);

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static TableEntity Claim(string partition, string rowKey, string leadId, DateTimeOffset at) =>
        new(partition, rowKey) { [LeadIdColumn] = leadId, [AtColumn] = at };
}
