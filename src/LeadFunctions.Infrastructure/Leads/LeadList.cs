using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// The list projection behind <c>GET /leads</c> (table <c>leadlist</c>): a copy of each record in
/// one partition per value it can be listed by (<c>all</c>, <c>status:…</c>, <c>type:…</c>,
/// <c>team:…</c>, <c>user:…</c>, <c>email:…</c>; a merged record only under <c>status:merged</c>),
/// ordered by id, so that a page of any one filter is one range query of one partition whatever
/// the number of stored leads. Written after every write of the record, its neighbours' checks
/// included (a pair written onto it or taken from it changes its flag), a partition at a time:
/// the copies one check changes in one partition are one transaction, whatever the number of
/// neighbours, and each record is read once after, so that of writes finishing in any order the
/// newest (<see cref="LeadRows.RevisionColumn"/>) is what stays listed.
/// </summary>
public sealed partial class LeadList(StorageClients clients, int pageReadLimit = LeadList.DefaultPageReadLimit)
{
    /// <summary>
    /// A record's row as a write left it (every column lists need, its revision), with the version
    /// storage gave it, to be listed. <paramref name="Left"/>: partitions it was listed in before
    /// the write and is no longer.
    /// </summary>
    public sealed record Listing(TableEntity Row, ETag Version, IReadOnlyCollection<string> Left)
    {
        /// <summary>A record listed as it was read (a repair: it leaves no partition).</summary>
        public static Listing Of(StoredLead stored) => new(stored.Entity, stored.ETag, []);
    }

    public const string VersionColumn = "Version";
    private const string AllPartition = "all";

    /// <summary>The columns a list item needs: the record's data, its filter columns, and a merge's hold.</summary>
    private static readonly string[] Filters = ["Type", "Status", "TeamId", "UserId", "Email", LeadRows.RevisionColumn];

    /// <summary>The most rows a Table transaction takes.</summary>
    private const int MaxActions = 100;

    private TableClient Table => clients.List;

    /// <summary>The partitions a record's row is listed in.</summary>
    public static IReadOnlyList<string> PartitionsOf(TableEntity row)
    {
        var status = row.GetString("Status") ?? "";
        if (status == LeadRows.Wire(LeadStatus.Merged))
        {
            return ["status:" + status];
        }
        var partitions = new List<string> { AllPartition, "status:" + status, "type:" + (row.GetString("Type") ?? "") };
        if (row.GetString("TeamId") is { Length: > 0 } team)
        {
            partitions.Add(TableKeys.Escape("team:" + team));
        }
        if (row.GetString("UserId") is { Length: > 0 } user)
        {
            partitions.Add(TableKeys.Escape("user:" + user));
        }
        if (row.GetString("Email") is { Length: > 0 } email)
        {
            partitions.Add(TableKeys.Escape("email:" + email));
        }
        return partitions;
    }

    /// <summary>The listed copies of a record's row: one per partition it is listed in (for bulk loads that batch them per partition).</summary>
    public static IEnumerable<TableEntity> CopiesOf(TableEntity written, ETag version) =>
        PartitionsOf(written).Select(p => Copy(p, written, version));

    /// <summary>
    /// Lists the record as <paramref name="written"/> (a whole record row, with the version storage
    /// gave it), and takes it out of the partitions it was listed in <paramref name="before"/> and is
    /// no longer.
    /// </summary>
    public Task ProjectAsync(TableEntity written, ETag version, TableEntity? before, CancellationToken ct) =>
        ProjectAsync([new Listing(written, version, before is null ? [] : PartitionsOf(before).Except(PartitionsOf(written), StringComparer.Ordinal).ToList())], ct);

    /// <summary>
    /// Writes the copies of every record given (the newest given per record), one transaction per
    /// list partition, then reads each record again: one that moved on meanwhile is listed as it
    /// is now, and one that is gone (erased) is taken back. Whichever write of a record is listed
    /// last, its reading comes after the record's last write, so the copies end as that write left
    /// them, whatever order the listings finish in; and a copy written late into a partition the
    /// record has left is taken out by its own reading.
    /// </summary>
    /// <remarks>
    /// Reading the copies first, to write them conditionally, would need one read per copy: Table
    /// Storage serves "PartitionKey eq … and (RowKey eq … or RowKey eq …)" by scanning the whole
    /// partition, and the `all` partition holds every record. Reading the records instead is one
    /// point read each, whatever the lists hold.
    /// </remarks>
    public async Task ProjectAsync(IEnumerable<Listing> listings, CancellationToken ct)
    {
        var newest = listings.GroupBy(l => l.Row.PartitionKey, StringComparer.Ordinal)
            .Select(g => g.MaxBy(l => LeadRows.RevisionOf(l.Row))! with
            {
                Left = [.. g.SelectMany(l => l.Left).Distinct(StringComparer.Ordinal)],
            })
            .ToList();
        if (newest.Count == 0)
        {
            return;
        }
        await clients.EnsureCreatedAsync();
        var copies = newest.SelectMany(l => PartitionsOf(l.Row).Select(p => Copy(p, l.Row, l.Version)));
        await Task.WhenAll(copies.GroupBy(c => c.PartitionKey, StringComparer.Ordinal).Select(g => UpsertAsync([.. g], ct))
            .Concat(newest.SelectMany(l => l.Left.Except(PartitionsOf(l.Row), StringComparer.Ordinal).Select(p => DeleteIfExistsAsync(p, l.Row.PartitionKey, ct)))));
        await Task.WhenAll(newest.Select(l => ConfirmAsync(l, ct)));
    }

    private async Task UpsertAsync(IReadOnlyList<TableEntity> copies, CancellationToken ct)
    {
        foreach (var chunk in copies.Chunk(MaxActions))
        {
            await Table.SubmitTransactionAsync(chunk.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, c)), ct);
        }
    }

    /// <summary>
    /// The copies just written stay only while their record is still as listed: a record that
    /// moved on is listed as it is now (leaving the partitions it has left), one erased or gone is
    /// taken back.
    /// </summary>
    private async Task ConfirmAsync(Listing listing, CancellationToken ct)
    {
        var id = listing.Row.PartitionKey;
        var response = await clients.Leads.GetEntityIfExistsAsync<TableEntity>(id, StorageNames.LeadRow, cancellationToken: ct);
        var now = response.HasValue ? response.Value : null;
        if (now is null || LeadRows.IsErased(now))
        {
            await Task.WhenAll(PartitionsOf(listing.Row).Select(p => DeleteIfExistsAsync(p, id, ct)));
            return;
        }
        if (LeadRows.RevisionOf(now) > LeadRows.RevisionOf(listing.Row))
        {
            await ProjectAsync([new Listing(now, now.ETag, PartitionsOf(listing.Row))], ct);
        }
    }

    private async Task DeleteIfExistsAsync(string partition, string rowKey, CancellationToken ct)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, rowKey, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// Marks (or clears) a merge's hold on the listed copies, so that lists show the record as the
    /// merge leaves it: <paramref name="held"/> is the record's row with the hold, as written.
    /// </summary>
    public Task HoldAsync(TableEntity held, ETag version, CancellationToken ct) =>
        ProjectAsync([new Listing(held, version, [])], ct);

    private static TableEntity Copy(string partition, TableEntity row, ETag version)
    {
        // The record's row is (id, "a"); its copy is (list partition, id).
        var copy = new TableEntity(partition, row.PartitionKey) { [VersionColumn] = version.ToString() };
        foreach (var (name, value) in row)
        {
            if (name.StartsWith(JsonRow.DataColumn, StringComparison.Ordinal) || Filters.Contains(name) || name == LeadRows.MergeLockColumn)
            {
                copy[name] = value;
            }
        }
        return copy;
    }
}
