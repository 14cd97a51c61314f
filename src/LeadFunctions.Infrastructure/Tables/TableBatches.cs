using Azure;
using Azure.Data.Tables;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>Deletes rows the way Table Storage allows it cheaply: per partition, 100 to a transaction.</summary>
public static class TableBatches
{
    /// <summary>
    /// Deletes <paramref name="rows"/>, each only as it was read (its ETag): a row changed since
    /// (a claim taken over, a delivery tried again) stays. A transaction that fails for such a row
    /// is done row by row instead.
    /// </summary>
    /// <returns>The rows deleted.</returns>
    public static async Task<int> DeleteAsync(TableClient table, IEnumerable<TableEntity> rows, Func<Task> afterWrite, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                try
                {
                    await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag == default ? ETag.All : r.ETag)), ct);
                    deleted += chunk.Length;
                }
                catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
                {
                    foreach (var row in chunk)
                    {
                        try
                        {
                            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag == default ? ETag.All : row.ETag, ct);
                            deleted++;
                        }
                        catch (RequestFailedException one) when (one.Status is 404 or 412)
                        {
                        }
                    }
                }
                await afterWrite();
            }
        }
        return deleted;
    }

    /// <summary>Deletes every row a query finds, a page at a time.</summary>
    public static async Task<int> DeleteAllAsync(TableClient table, string filter, Func<Task> afterWrite, CancellationToken ct)
    {
        var deleted = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: ct).AsPages())
        {
            deleted += await DeleteAsync(table, page.Values, afterWrite, ct);
        }
        return deleted;
    }
}
