using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Idempotency;

/// <summary>What an Idempotency-Key's row says about a request that carries it.</summary>
public enum ClaimState
{
    /// <summary>This request holds the key: create the resource under <see cref="IdempotencyClaim.ResourceId"/>.</summary>
    Claimed,

    /// <summary>An earlier request with this key and body finished: answer its resource.</summary>
    Done,

    /// <summary>An earlier request with this key and body has not said it finished: still running, or dead.</summary>
    Pending,

    /// <summary>The key was used for a different request.</summary>
    Mismatch,
}

/// <summary>One key's row as a request found (or made) it; <see cref="ETag"/> is the version it holds.</summary>
public sealed record IdempotencyClaim(ClaimState State, string Operation, string RowKey, string ResourceId, ETag ETag, bool LeaseOver);

/// <summary>
/// Idempotency-Key rows of every create but capture (whose claim shares its contact's transaction,
/// see CaptureGuard) and imports (whose claim is the import's own row): one partition per
/// operation, one row per key. The id is chosen before anything is created and kept in the row,
/// so that a request dying after the claim leaves a key that its retry finishes with the same id
/// rather than a key blocked for its whole retention. The key and the request's fingerprint are
/// keyed hashes: a client may put personal data in either, and a bare hash of a body that holds
/// an email reverses by guessing. The resource's id (and the record it belongs to) is a column,
/// so that an erasure finds the rows that name an erased record.
/// </summary>
public sealed class IdempotencyKeys(StorageClients clients, KeyedHashes hashes, TimeProvider clock)
{
    private const int MaxAttempts = 16;
    public const string ResourceColumn = "ResourceId";
    public const string SubjectColumn = "SubjectId";
    public const string FingerprintColumn = "Fingerprint";
    public const string AtColumn = "At";
    public const string LeaseColumn = "LeaseUntil";
    public const string StatusColumn = "Status";

    /// <summary>
    /// Claims <paramref name="key"/> of <paramref name="operation"/> for <paramref name="newId"/>,
    /// or says what the request that claimed it first left. A row older than
    /// <paramref name="retention"/> that the clean-up has not reached yet is a key used afresh.
    /// </summary>
    /// <param name="subjectId">The record the new resource belongs to (a note's record), for the erasure to find.</param>
    public async Task<IdempotencyClaim> ClaimAsync(string operation, string key, string request, string newId, string? subjectId,
        TimeSpan inFlight, TimeSpan retention, CancellationToken ct)
    {
        await clients.EnsureTablesCreatedAsync();
        var rowKey = await hashes.HashAsync("idempotency-key", operation + "\n" + key);
        var fingerprint = await hashes.HashAsync("idempotency-request", operation + "\n" + request);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = clock.GetUtcNow();
            var row = new TableEntity(operation, rowKey)
            {
                [ResourceColumn] = newId,
                [SubjectColumn] = subjectId,
                [FingerprintColumn] = fingerprint,
                [AtColumn] = now,
                [LeaseColumn] = now + inFlight,
            };
            try
            {
                var added = await clients.Idempotency.AddEntityAsync(row, ct);
                return new IdempotencyClaim(ClaimState.Claimed, operation, rowKey, newId, added.Headers.ETag ?? default, false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // The key is taken: what did the request that took it leave?
            }
            var existing = await clients.Idempotency.GetEntityIfExistsAsync<TableEntity>(operation, rowKey, cancellationToken: ct);
            if (!existing.HasValue)
            {
                continue;
            }
            var found = existing.Value!;
            if (now - (found.GetDateTimeOffset(AtColumn) ?? now) > retention)
            {
                try
                {
                    var replaced = await clients.Idempotency.UpdateEntityAsync(row, found.ETag, TableUpdateMode.Replace, ct);
                    return new IdempotencyClaim(ClaimState.Claimed, operation, rowKey, newId, replaced.Headers.ETag ?? default, false);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    continue;
                }
            }
            var state = found.GetString(FingerprintColumn) != fingerprint ? ClaimState.Mismatch
                : found.GetInt32(StatusColumn) is not null ? ClaimState.Done
                : ClaimState.Pending;
            return new IdempotencyClaim(state, operation, rowKey, found.GetString(ResourceColumn), found.ETag, (found.GetDateTimeOffset(LeaseColumn) ?? now) <= now);
        }
        // Not Retry: a conflict usually ends in an answer, and running out of tries is an error of its own.
        throw new InvalidOperationException("The Idempotency-Key claim kept conflicting; try again.");
    }

    /// <summary>Takes a dead request's claim over, its id kept: null when another request took it first.</summary>
    public async Task<IdempotencyClaim?> TakeOverAsync(IdempotencyClaim claim, TimeSpan inFlight, CancellationToken ct)
    {
        var lease = new TableEntity(claim.Operation, claim.RowKey) { [LeaseColumn] = clock.GetUtcNow() + inFlight };
        try
        {
            var updated = await clients.Idempotency.UpdateEntityAsync(lease, claim.ETag, TableUpdateMode.Merge, ct);
            return claim with { State = ClaimState.Claimed, ETag = updated.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>The resource exists: from now on the key answers it with <paramref name="status"/>.</summary>
    public async Task CompleteAsync(IdempotencyClaim claim, int status, CancellationToken ct)
    {
        try
        {
            await clients.Idempotency.UpdateEntityAsync(new TableEntity(claim.Operation, claim.RowKey) { [StatusColumn] = status }, ETag.All, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Erased or cleaned up meanwhile: there is nothing left to answer by it.
        }
    }

    /// <summary>The create was refused (nothing made): the key is free again, for a corrected request.</summary>
    public async Task ReleaseAsync(IdempotencyClaim claim, CancellationToken ct)
    {
        try
        {
            await clients.Idempotency.DeleteEntityAsync(claim.Operation, claim.RowKey, claim.ETag, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }

    /// <summary>
    /// Deletes the rows last written before <paramref name="before"/> (their Timestamp: the claim,
    /// or its completion a create's time later), each only as it was read, so a key used afresh
    /// meanwhile stays. Filtered by the table itself, so a pass reads only what it deletes.
    /// </summary>
    /// <returns>The rows deleted.</returns>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset before, Func<Task> written, CancellationToken ct)
    {
        await clients.EnsureTablesCreatedAsync();
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"Timestamp lt {before}");
        await foreach (var page in clients.Idempotency.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct).AsPages())
        {
            deleted += await TableBatches.DeleteAsync(clients.Idempotency, page.Values, written, ct);
        }
        return deleted;
    }

    /// <summary>
    /// The keys of the rows naming one of <paramref name="ids"/>, as resource or as the record it
    /// belongs to: one scan of a table that holds a retention's worth of creates.
    /// </summary>
    public async IAsyncEnumerable<(string PartitionKey, string RowKey)> NamingAsync(IReadOnlySet<string> ids, [EnumeratorCancellation] CancellationToken ct)
    {
        await clients.EnsureTablesCreatedAsync();
        await foreach (var row in clients.Idempotency.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", ResourceColumn, SubjectColumn], cancellationToken: ct))
        {
            if (ids.Contains(row.GetString(ResourceColumn) ?? "") || ids.Contains(row.GetString(SubjectColumn) ?? ""))
            {
                yield return (row.PartitionKey, row.RowKey);
            }
        }
    }
}
