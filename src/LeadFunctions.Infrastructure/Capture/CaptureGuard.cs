using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Infrastructure.Capture;

/// <summary>
/// The claims that make a repeated capture return the first lead's id, held in Table Storage so
/// that they hold across instances: one transaction on the usual path.
/// </summary>
public sealed class CaptureGuard(StorageClients clients, TimeProvider clock, IOptions<CaptureOptions> options)
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
        var partition = PartitionOf(contact);
        var now = clock.GetUtcNow();
        var rows = new List<TableEntity>();
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            rows.Add(Claim(partition, IdempotencyPrefix + TableKeys.Escape(idempotencyKey), newLeadId, now));
        }
        var contentRow = Claim(partition, ContentPrefix + fingerprint, newLeadId, now);
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

    public static string PartitionOf(string contact) => ClaimPrefix + Hash(contact);

    internal static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static TableEntity Claim(string partition, string rowKey, string leadId, DateTimeOffset at) =>
        new(partition, rowKey) { [LeadIdColumn] = leadId, [AtColumn] = at };
}
