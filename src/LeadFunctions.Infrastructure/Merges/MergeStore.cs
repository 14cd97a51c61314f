using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Merges;

/// <summary>
/// The merge journal, one partition per merge: the record of the merge ("journal"), every input
/// record as it was before ("before|{id}") and as the merge leaves it ("after|{id}"), the log
/// rows it moves ("moved|{fromId}|{rowKey}"), and the survivor's image for each undo attempt
/// ("restore|{attempt}"). Everything needed to finish or reverse the merge after a crash is here
/// before the first record is touched (the journal protocol of <see cref="JournalTable"/>).
/// </summary>
public sealed class MergeStore(StorageClients clients)
{
    private const string JournalRow = JournalTable.JournalRow;
    private const string BeforePrefix = "before|";
    private const string AfterPrefix = "after|";
    private const string MovedPrefix = "moved|";
    private const string RestorePrefix = "restore|";

    private readonly JournalTable journals = new(clients, c => c.Merges);

    private TableClient Table => clients.Merges;

    /// <summary>The merge with its version, for a later update conditional on it.</summary>
    public async Task<(MergeRecord Record, string Version)?> FindAsync(string mergeId, CancellationToken ct) =>
        Domain.Ids.IsWellFormed(mergeId) && await journals.ReadAsync<MergeRecord>(mergeId, JournalRow, ct) is var (record, etag)
            ? (record, etag.ToString())
            : null;

    /// <summary>The images and the moved-row list: invisible until the journal row exists.</summary>
    public async Task WriteImagesAsync(string mergeId, IEnumerable<Lead> before, IEnumerable<Lead> after,
        IReadOnlyDictionary<string, IReadOnlyList<string>> moved, Func<Task> afterWrite, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var images = before.Select(l => JsonRow.Create(mergeId, BeforePrefix + l.Id, l))
            .Concat(after.Select(l => JsonRow.Create(mergeId, AfterPrefix + l.Id, l)));
        await Task.WhenAll(images.Select(row => Table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct)));
        await afterWrite();
        var movedRows = moved.SelectMany(m => m.Value.Select(rk => new TableEntity(mergeId, $"{MovedPrefix}{m.Key}|{rk}"))).ToList();
        await journals.WriteAsync(movedRows, [], afterWrite, ct);
    }

    /// <summary>The journal row: a merge exists once it does.</summary>
    public async Task<string> AddAsync(MergeRecord record, CancellationToken ct)
    {
        var response = await Table.AddEntityAsync(JsonRow.Create(record.Id, JournalRow, record), ct);
        return (response.Headers.ETag ?? ETag.All).ToString();
    }

    /// <exception cref="ConcurrencyException">Someone else moved the merge on since it was read.</exception>
    public async Task<string> UpdateAsync(MergeRecord record, string version, CancellationToken ct) =>
        (await journals.ReplaceAsync(record.Id, JournalRow, record, new ETag(version), ct)).ToString();

    public Task<Dictionary<string, Lead>> BeforeAsync(string mergeId, CancellationToken ct) => ImagesAsync(mergeId, BeforePrefix, ct);

    public Task<Dictionary<string, Lead>> AfterAsync(string mergeId, CancellationToken ct) => ImagesAsync(mergeId, AfterPrefix, ct);

    /// <summary>The survivor's image an undo attempt restores; one per attempt, so that attempts never overwrite each other.</summary>
    public async Task<Lead?> RestoreImageAsync(string mergeId, string attempt, CancellationToken ct) =>
        (await journals.ReadAsync<Lead>(mergeId, RestorePrefix + attempt, ct))?.Value;

    public Task SaveRestoreImageAsync(string mergeId, string attempt, Lead image, CancellationToken ct) =>
        Table.UpsertEntityAsync(JsonRow.Create(mergeId, RestorePrefix + attempt, image), TableUpdateMode.Replace, ct);

    /// <summary>The log row keys the merge moved, per record they came from.</summary>
    public async Task<Dictionary<string, List<string>>> MovedAsync(string mergeId, CancellationToken ct)
    {
        var moved = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var row in journals.RowsAsync(mergeId, MovedPrefix, ["RowKey"], ct))
        {
            var rest = row.RowKey[MovedPrefix.Length..];
            var separator = rest.IndexOf('|', StringComparison.Ordinal);
            var from = rest[..separator];
            if (!moved.TryGetValue(from, out var keys))
            {
                moved[from] = keys = [];
            }
            keys.Add(rest[(separator + 1)..]);
        }
        return moved;
    }

    /// <summary>
    /// Merges at rest (applied, aborted or undone) that have not changed since <paramref name="before"/>:
    /// what the clean-up may trim. A merge in any other state is running or being recovered.
    /// </summary>
    public IAsyncEnumerable<MergeRecord> FinishedBeforeAsync(DateTimeOffset before, CancellationToken ct) =>
        journals.AllAsync<MergeRecord>(JournalRow, before, ct).Select(j => j.Value)
            .Where(r => r.State is MergeState.Applied or MergeState.Aborted or MergeState.Undone);

    /// <summary>Every merge, in any state: an erasure follows the person's values through chains of merges.</summary>
    public IAsyncEnumerable<MergeRecord> AllAsync(CancellationToken ct) =>
        journals.AllAsync<MergeRecord>(JournalRow, null, ct).Select(j => j.Value);

    /// <summary>
    /// Deletes the rows a merge at rest no longer needs: of an aborted or undone merge, every row
    /// but its journal row (GET /merges/{id} still answers); of an applied one, only the survivor
    /// images of undo attempts that were rolled back (undo needs the rest, and makes a new image).
    /// </summary>
    /// <returns>The rows deleted.</returns>
    public async Task<int> DeleteWorkingRowsAsync(MergeRecord record, DateTimeOffset before, Func<Task> afterWrite, CancellationToken ct)
    {
        if (record.State != MergeState.Applied)
        {
            return await DeleteImagesAsync(record.Id, afterWrite, ct);
        }
        // An undo starting now writes its image before it moves the journal on: only old images go.
        return await journals.DeleteWorkingRowsAsync(record.Id, RestorePrefix, afterWrite, ct, before);
    }

    /// <summary>Every row of the merge but its journal row: what a finished merge, or an erased one, keeps no more.</summary>
    public Task<int> DeleteImagesAsync(string mergeId, Func<Task> afterWrite, CancellationToken ct) =>
        journals.DeleteWorkingRowsAsync(mergeId, null, afterWrite, ct);

    private async Task<Dictionary<string, Lead>> ImagesAsync(string mergeId, string prefix, CancellationToken ct)
    {
        var images = new Dictionary<string, Lead>(StringComparer.Ordinal);
        await foreach (var row in journals.RowsAsync(mergeId, prefix, null, ct))
        {
            images[row.RowKey[prefix.Length..]] = JsonRow.Read<Lead>(row);
        }
        return images;
    }
}
