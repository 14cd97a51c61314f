using Azure;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// The storage side of the one journal protocol that merge, undo and erasure follow (see
/// docs/merge.md and docs/erasure.md): one partition per operation, a "journal" row that says what
/// the operation is and how far it got, and working rows under prefixes (images, moved-row lists,
/// plans). Working rows are written before the journal row that makes them count; the journal moves
/// on only from the version read (<see cref="ReplaceAsync{T}"/>), so of two runs one wins and the
/// other reads again; every step after it is idempotent and resumed from the journal; the working
/// rows go when the operation is done.
/// </summary>
public sealed class JournalTable(StorageClients clients, Func<StorageClients, TableClient> table)
{
    public const string JournalRow = "journal";

    // A transaction holds at most 100 rows and 4 MiB: its rows' JSON is kept to a million
    // characters, which even at three bytes a character stays under the limit.
    private const int TransactionRows = 100;
    private const int TransactionJsonLength = 1_000_000;

    private TableClient Table => table(clients);

    /// <summary>One row of the operation, with the version to move it on from; null when it does not exist.</summary>
    public async Task<(T Value, ETag ETag)?> ReadAsync<T>(string id, string rowKey, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(id, rowKey, cancellationToken: ct);
        return row.HasValue ? (JsonRow.Read<T>(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Moves a row on from the version read.</summary>
    /// <exception cref="ConcurrencyException">Another run moved it on (or ended it) since.</exception>
    public async Task<ETag> ReplaceAsync<T>(string id, string rowKey, T value, ETag etag, CancellationToken ct)
    {
        try
        {
            return (await Table.UpdateEntityAsync(JsonRow.Create(id, rowKey, value), etag, TableUpdateMode.Replace, ct)).Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw new ConcurrencyException(id);
        }
    }

    /// <summary>
    /// Working rows of one operation, then <paramref name="closing"/> (the rows that make them
    /// count): in one transaction when they fit in one, else the working rows first in as many as
    /// they take; <paramref name="afterWrite"/> after each.
    /// </summary>
    /// <returns>The responses of the closing transaction's rows, in order.</returns>
    public async Task<IReadOnlyList<Response>> WriteAsync(IEnumerable<TableEntity> rows, IReadOnlyList<TableTransactionAction> closing, Func<Task> afterWrite, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var batches = new List<List<TableTransactionAction>> { new() };
        var length = 0;
        foreach (var row in rows)
        {
            var size = row.Sum(column => column.Value is string text ? text.Length : 0);
            if (batches[^1].Count == TransactionRows - closing.Count || (batches[^1].Count > 0 && length + size > TransactionJsonLength))
            {
                batches.Add([]);
                length = 0;
            }
            batches[^1].Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            length += size;
        }
        foreach (var batch in batches.SkipLast(1))
        {
            await Table.SubmitTransactionAsync(batch, ct);
            await afterWrite();
        }
        var last = batches[^1];
        last.AddRange(closing);
        if (last.Count == 0)
        {
            return [];
        }
        var response = await Table.SubmitTransactionAsync(last, ct);
        await afterWrite();
        return response.Value.Skip(last.Count - closing.Count).ToList();
    }

    /// <summary>The operation's rows whose keys start with <paramref name="prefix"/>, in key order.</summary>
    public async IAsyncEnumerable<TableEntity> RowsAsync(string id, string prefix, IEnumerable<string>? select,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {prefix} and RowKey lt {TableKeys.PrefixEnd(prefix)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: ct))
        {
            yield return row;
        }
    }

    /// <summary>Every operation's row <paramref name="rowKey"/> (one scan of the table), optionally only those unchanged since <paramref name="before"/>.</summary>
    public async IAsyncEnumerable<(T Value, TableEntity Row)> AllAsync<T>(string rowKey, DateTimeOffset? before,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = before is { } time
            ? TableClient.CreateQueryFilter($"RowKey eq {rowKey} and Timestamp lt {time}")
            : TableClient.CreateQueryFilter($"RowKey eq {rowKey}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            yield return (JsonRow.Read<T>(row), row);
        }
    }

    /// <summary>Deletes the operation's working rows under <paramref name="prefix"/>, or every row but its journal when null.</summary>
    /// <returns>The rows deleted.</returns>
    public Task<int> DeleteWorkingRowsAsync(string id, string? prefix, Func<Task> afterWrite, CancellationToken ct, DateTimeOffset? before = null)
    {
        var filter = prefix is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ne {JournalRow}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {prefix} and RowKey lt {TableKeys.PrefixEnd(prefix)}");
        if (before is { } time)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Timestamp lt {time}");
        }
        return TableBatches.DeleteAllAsync(Table, filter, afterWrite, ct);
    }
}
