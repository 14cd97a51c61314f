using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Imports;

/// <summary>An import's own row: what GET shows, and how many chunks there are and are done.</summary>
public sealed class ImportState
{
    public ImportRecord Record { get; set; } = new();
    public int Chunks { get; set; }
    public int ChunksDone { get; set; }
}

/// <summary>A chunk as stored: its rows, and once done what it did.</summary>
public sealed record StoredChunk(List<ImportItem> Items, bool Done, TableEntity Row);

/// <summary>
/// Table <c>imports</c>. One partition per import: its state (<c>import</c>), its chunks of rows
/// to store (<c>chunk:0000</c>, with the chunk's outcome in columns once done) and the rows refused
/// when it started (<c>errors:0000</c>). Claims live in the partition <c>claims</c>: the content's
/// hash and the Idempotency-Key, each naming the import they started.
/// </summary>
public sealed class ImportStore(StorageClients clients)
{
    public const string StateRow = "import";
    private const string ClaimsPartition = "claims";
    private const string ChunkPrefix = "chunk:";
    private const string ErrorsPrefix = "errors:";
    private const string ImportIdColumn = "ImportId";
    private const string DoneColumn = "Done";
    private const string OutcomeColumn = "Outcome";

    private TableClient Table => clients.Imports;

    public static string ChunkKey(int chunk) => ChunkPrefix + chunk.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Claims the content (and key) for <paramref name="newId"/>; the import they already started, else null.</summary>
    public async Task<string?> ClaimAsync(string contentHash, string? idempotencyKey, string newId, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var rows = new List<string> { "content:" + contentHash };
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            rows.Add("idem:" + TableKeys.Escape(idempotencyKey));
        }
        try
        {
            await Table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(ClaimsPartition, r) { [ImportIdColumn] = newId })), ct);
            return null;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex is { } index)
        {
            var existing = await Table.GetEntityAsync<TableEntity>(ClaimsPartition, rows[index], cancellationToken: ct);
            return existing.Value.GetString(ImportIdColumn);
        }
    }

    public async Task<(ImportState State, ETag ETag)?> FindStateAsync(string importId, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(importId, StateRow, cancellationToken: ct);
        return row.HasValue ? (JsonRow.Read<ImportState>(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Writes the import's state last: once it is there, every chunk and error row is too.</summary>
    /// <returns>False when another request of the same file wrote it first.</returns>
    public async Task<bool> AddStateAsync(ImportState state, CancellationToken ct)
    {
        try
        {
            await Table.AddEntityAsync(JsonRow.Create(state.Record.Id, StateRow, state), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public Task WriteChunkAsync(string importId, int chunk, IReadOnlyList<ImportItem> items, CancellationToken ct) =>
        Table.UpsertEntityAsync(JsonRow.Create(importId, ChunkKey(chunk), items), TableUpdateMode.Replace, ct);

    public Task WriteErrorsAsync(string importId, int page, IReadOnlyList<ImportRowError> errors, CancellationToken ct) =>
        Table.UpsertEntityAsync(JsonRow.Create(importId, ErrorsPrefix + page.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), errors),
            TableUpdateMode.Replace, ct);

    public async Task<StoredChunk?> FindChunkAsync(string importId, int chunk, CancellationToken ct)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(importId, ChunkKey(chunk), cancellationToken: ct);
        return row.HasValue ? new StoredChunk(JsonRow.Read<List<ImportItem>>(row.Value!), row.Value!.GetBoolean(DoneColumn) == true, row.Value!) : null;
    }

    /// <summary>
    /// Marks the chunk done with what it did and adds that to the import's counts, in one
    /// transaction conditional on both rows: a chunk is counted once, however often it runs.
    /// </summary>
    /// <returns>False when either row changed meanwhile (read both again).</returns>
    public async Task<bool> CompleteChunkAsync(ImportState state, ETag stateETag, StoredChunk chunk, ChunkOutcome outcome, CancellationToken ct)
    {
        var done = new TableEntity(chunk.Row.PartitionKey, chunk.Row.RowKey) { [DoneColumn] = true, [OutcomeColumn] = JsonRow.Serialize(outcome) };
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, done, chunk.Row.ETag),
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, JsonRow.Create(state.Record.Id, StateRow, state), stateETag),
            ], ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Takes out what an import finished before <paramref name="before"/> kept only while someone
    /// might look into it: its chunks of rows, its refused rows and the claims that answer a repeat
    /// of its file or key with it, all of which hold the people it imported. Its state row (id,
    /// status, counts: no one's data) stays, so GET still tells what it did. An import that never
    /// says it finished keeps everything: its chunks may still run.
    /// </summary>
    /// <returns>The rows deleted.</returns>
    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset before, Func<Task> afterWrite, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var finished = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {StateRow}"), cancellationToken: ct))
        {
            if (JsonRow.Read<ImportState>(row).Record is { Status: not ImportStatus.Running } record && (record.FinishedAt ?? row.Timestamp) < before)
            {
                finished.Add(row.PartitionKey);
            }
        }
        if (finished.Count == 0)
        {
            return 0;
        }
        var claims = await Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ClaimsPartition}"), select: ["PartitionKey", "RowKey", ImportIdColumn], cancellationToken: ct)
            .Where(r => r.GetString(ImportIdColumn) is { } id && finished.Contains(id)).ToListAsync(ct);
        var deleted = await TableBatches.DeleteAsync(Table, claims, afterWrite, ct);
        foreach (var id in finished.Order(StringComparer.Ordinal))
        {
            // Each pass looks again at every finished import; one already cleaned costs one empty query.
            deleted += await TableBatches.DeleteAllAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ne {StateRow}"), afterWrite, ct);
        }
        return deleted;
    }

    /// <summary>Every row of every import, with its JSON: one scan (the erasure's).</summary>
    public async IAsyncEnumerable<(string PartitionKey, string RowKey, string Json)> EveryRowAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(cancellationToken: ct))
        {
            yield return (row.PartitionKey, row.RowKey, JsonRow.ReadJson(row));
        }
    }

    /// <summary>The refused rows: those refused when the import started, and those its chunks refused.</summary>
    public async Task<List<ImportRowError>> ErrorsAsync(string importId, CancellationToken ct)
    {
        var errors = new List<ImportRowError>();
        var pages = TableClient.CreateQueryFilter($"PartitionKey eq {importId} and RowKey ge {ErrorsPrefix} and RowKey lt {TableKeys.PrefixEnd(ErrorsPrefix)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(pages, cancellationToken: ct))
        {
            errors.AddRange(JsonRow.Read<List<ImportRowError>>(row));
        }
        var chunks = TableClient.CreateQueryFilter($"PartitionKey eq {importId} and RowKey ge {ChunkPrefix} and RowKey lt {TableKeys.PrefixEnd(ChunkPrefix)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(chunks, select: [OutcomeColumn], cancellationToken: ct))
        {
            if (row.GetString(OutcomeColumn) is { Length: > 0 } json)
            {
                errors.AddRange(System.Text.Json.JsonSerializer.Deserialize<ChunkOutcome>(json, JsonRow.StorageOptions)!.Errors);
            }
        }
        return errors;
    }
}

/// <summary>What storing and checking one chunk did.</summary>
public sealed record ChunkOutcome(int Stored, int Checked, int Flagged, List<ImportRowError> Errors);
