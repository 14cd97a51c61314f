using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Infrastructure.Capture;

/// <summary>
/// The claims that make a repeated capture return the first lead's id, held in Table Storage so
/// that they hold across instances: one transaction on the usual path.
/// </summary>
public sealed class CaptureGuard(StorageClients clients, KeyedHashes hashes, TimeProvider clock, IOptions<CaptureOptions> options)
{
    private const int MaxAttempts = 16;
    public const string LeadIdColumn = "LeadId";
    public const string AtColumn = "At";
    public const string ClaimPrefix = "claim:";
    public const string IdempotencyPrefix = "idem:";
    public const string ContentPrefix = "content:";
    private CaptureOptions Options => options.Value;

    /// <summary>
    /// Claims this capture for <paramref name="newLeadId"/> under its Idempotency-Key (when given)
    /// and its content fingerprint, in one transaction of the contact's partition.
    /// </summary>
    /// <returns>The first lead's id when this capture repeats an earlier one, else null.</returns>
    public async Task<string?> ClaimAsync(string contact, string? idempotencyKey, string fingerprint, string newLeadId, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var partition = await PartitionOfAsync(contact);
        var now = clock.GetUtcNow();
        var rows = new List<TableEntity>();
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            rows.Add(Claim(partition, IdempotencyPrefix + TableKeys.Escape(idempotencyKey), newLeadId, now));
        }
        var contentRow = Claim(partition, ContentPrefix + await hashes.HashAsync("capture-content", fingerprint), newLeadId, now);
        rows.Add(contentRow);
        // Not Retry: a conflict can end in an answer (the earlier capture's lead), and running out of tries throws an error of its own.
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

    /// <summary>The partition of one contact's claims, keyed by a keyed hash: the contact cannot be guessed back from it.</summary>
    public async Task<string> PartitionOfAsync(string contact) => ClaimPrefix + await hashes.HashAsync("capture-contact", contact);

    /// <summary>Every partition that may hold the contact's claims: today's, and the bare-hash one of claims made before keyed hashes.</summary>
    public async Task<IReadOnlyList<string>> PartitionsOfAsync(string contact) =>
        [await PartitionOfAsync(contact), ClaimPrefix + KeyedHashes.LegacyHash(contact)];

    private static TableEntity Claim(string partition, string rowKey, string leadId, DateTimeOffset at) =>
        new(partition, rowKey) { [LeadIdColumn] = leadId, [AtColumn] = at };
}
