using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Storage;

/// <summary>
/// The list projection behind <c>GET /leads</c> (table <c>leadlist</c>): a copy of each record in
/// one partition per value it can be listed by (<c>all</c>, <c>status:…</c>, <c>type:…</c>,
/// <c>team:…</c>, <c>user:…</c>, <c>email:…</c>; a merged record only under <c>status:merged</c>),
/// ordered by id, so that a page of any one filter is one range query of one partition whatever
/// the number of stored leads. Written after every write of the record, its neighbours' checks
/// included (a pair written onto it or taken from it changes its flag), a partition at a time:
/// the copies one check changes in one partition are one read and one transaction, whatever the
/// number of neighbours. Every copy write is conditional on the copy read, and only a newer
/// revision (<see cref="LeadRows.RevisionColumn"/>) replaces a copy, so writes finishing in any
/// order leave the newest.
/// </summary>
public sealed class LeadList(StorageClients clients)
{
    /// <summary>
    /// A record's row as a write left it (every column lists need, its revision), with the version
    /// storage gave it, to be listed. <paramref name="Left"/>: partitions it was listed in before
    /// the write and is no longer. <paramref name="MayAdd"/>: it may be added where it is not
    /// listed yet (its own writes); a neighbour's write only brings existing copies up to date,
    /// since a record not listed yet is listed by its own check or the sweep.
    /// </summary>
    public sealed record Listing(TableEntity Row, ETag Version, IReadOnlyCollection<string> Left, bool MayAdd);

    public const string VersionColumn = "Version";
    private const string AllPartition = "all";
    private const string TokenMarker = "lf-list1:";

    /// <summary>The columns a list item needs: the record's data, its filter columns, and a merge's hold.</summary>
    private static readonly string[] Filters = ["Type", "Status", "TeamId", "UserId", "Email", LeadRows.RevisionColumn];

    /// <summary>Table Storage takes at most 15 comparisons a filter: the partition and 14 ids.</summary>
    private const int IdsPerRead = 14;

    /// <summary>The most rows a Table transaction takes.</summary>
    private const int MaxActions = 100;

    private const int MaxAttempts = 20;

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
        ProjectAsync([new Listing(written, version, before is null ? [] : PartitionsOf(before).Except(PartitionsOf(written), StringComparer.Ordinal).ToList(), MayAdd: true)], ct);

    /// <summary>
    /// Brings the copies of every record given up to its state there (the newest given per record),
    /// one read and one transaction per partition. A copy is added only after its record is read
    /// again: if the record moved on meanwhile, its newer state is listed instead, so a copy added
    /// late never stays in a partition the record has left (that writer may have found nothing there
    /// to take out).
    /// </summary>
    public async Task ProjectAsync(IEnumerable<Listing> listings, CancellationToken ct)
    {
        var newest = listings.GroupBy(l => l.Row.PartitionKey, StringComparer.Ordinal)
            .Select(g => g.MaxBy(l => LeadRows.RevisionOf(l.Row))! with
            {
                MayAdd = g.Any(l => l.MayAdd),
                Left = [.. g.SelectMany(l => l.Left).Distinct(StringComparer.Ordinal)],
            })
            .ToList();
        if (newest.Count == 0)
        {
            return;
        }
        await clients.EnsureCreatedAsync();
        var work = newest.SelectMany(l => PartitionsOf(l.Row).Select(p => new CopyWork(p, l, Delete: false))
            .Concat(l.Left.Except(PartitionsOf(l.Row), StringComparer.Ordinal).Select(p => new CopyWork(p, l, Delete: true))));
        var added = await Task.WhenAll(work.GroupBy(w => w.Partition, StringComparer.Ordinal).Select(g => ProjectPartitionAsync(g.Key, [.. g], ct)));
        await Task.WhenAll(added.SelectMany(a => a).GroupBy(a => a.Listing.Row.PartitionKey, StringComparer.Ordinal)
            .Select(g => ConfirmAddedAsync(g.First().Listing, [.. g.Select(a => (a.Partition, a.ETag))], ct)));
    }

    private sealed record CopyWork(string Partition, Listing Listing, bool Delete);

    private sealed record Added(Listing Listing, string Partition, ETag ETag);

    /// <returns>The copies this call added (each to be confirmed against its record).</returns>
    private async Task<List<Added>> ProjectPartitionAsync(string partition, IReadOnlyList<CopyWork> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await ReadCopiesAsync(partition, work.Select(w => w.Listing.Row.PartitionKey), ct);
            var actions = new List<(TableTransactionAction Action, CopyWork Work)>();
            foreach (var w in work)
            {
                var id = w.Listing.Row.PartitionKey;
                var revision = LeadRows.RevisionOf(w.Listing.Row);
                var copy = existing.GetValueOrDefault(id);
                if (copy is not null && LeadRows.RevisionOf(copy) >= revision)
                {
                    continue;
                }
                if (w.Delete)
                {
                    if (copy is not null)
                    {
                        actions.Add((new TableTransactionAction(TableTransactionActionType.Delete, copy, copy.ETag), w));
                    }
                }
                else if (copy is not null)
                {
                    actions.Add((new TableTransactionAction(TableTransactionActionType.UpdateReplace, Copy(partition, w.Listing.Row, w.Listing.Version), copy.ETag), w));
                }
                else if (w.Listing.MayAdd)
                {
                    actions.Add((new TableTransactionAction(TableTransactionActionType.Add, Copy(partition, w.Listing.Row, w.Listing.Version)), w));
                }
            }
            var added = new List<Added>();
            try
            {
                foreach (var chunk in actions.Chunk(MaxActions))
                {
                    var response = await Table.SubmitTransactionAsync(chunk.Select(a => a.Action), ct);
                    added.AddRange(chunk.Zip(response.Value)
                        .Where(x => x.First.Action.ActionType == TableTransactionActionType.Add)
                        .Select(x => new Added(x.First.Work.Listing, partition, x.Second.Headers.ETag ?? ETag.All)));
                }
                return added;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404 && attempt < MaxAttempts)
            {
                // Another writer changed one of these copies since they were read: read them again
                // and decide again (an earlier chunk that went through is seen as done). Its adds
                // are still confirmed.
                await ConfirmEachAsync(added, ct);
                await Task.Delay(RandomNumberGenerator.GetInt32(1, 4 * attempt + 2), ct);
            }
        }
    }

    private Task ConfirmEachAsync(IEnumerable<Added> added, CancellationToken ct) =>
        Task.WhenAll(added.GroupBy(a => a.Listing.Row.PartitionKey, StringComparer.Ordinal)
            .Select(g => ConfirmAddedAsync(g.First().Listing, [.. g.Select(a => (a.Partition, a.ETag))], ct)));

    /// <summary>The copies of <paramref name="ids"/> in one partition, by id: 14 ids a read.</summary>
    private async Task<Dictionary<string, TableEntity>> ReadCopiesAsync(string partition, IEnumerable<string> ids, CancellationToken ct)
    {
        var reads = ids.Distinct(StringComparer.Ordinal).Chunk(IdsPerRead).Select(async chunk =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and ("
                + string.Join(" or ", chunk.Select(id => TableClient.CreateQueryFilter($"RowKey eq {id}"))) + ")";
            return await Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", LeadRows.RevisionColumn], cancellationToken: ct).ToListAsync(ct);
        });
        return (await Task.WhenAll(reads)).SelectMany(r => r).ToDictionary(r => r.RowKey, StringComparer.Ordinal);
    }

    /// <summary>
    /// A copy just added stays only while its record is still as listed: a record erased (or gone)
    /// takes it back, a record that moved on is listed as it is now, leaving the partitions the
    /// copy was added to where it is no longer.
    /// </summary>
    private async Task ConfirmAddedAsync(Listing listing, IReadOnlyList<(string Partition, ETag ETag)> added, CancellationToken ct)
    {
        var id = listing.Row.PartitionKey;
        var response = await clients.Leads.GetEntityIfExistsAsync<TableEntity>(id, StorageNames.LeadRow, cancellationToken: ct);
        var now = response.HasValue ? response.Value : null;
        if (now is null || LeadRows.IsErased(now))
        {
            await Task.WhenAll(added.Select(a => DeleteIfUnchangedAsync(a.Partition, id, a.ETag, ct)));
            return;
        }
        if (LeadRows.RevisionOf(now) > LeadRows.RevisionOf(listing.Row))
        {
            await ProjectAsync([new Listing(now, now.ETag, [.. added.Select(a => a.Partition)], MayAdd: true)], ct);
        }
    }

    private async Task DeleteIfUnchangedAsync(string partition, string rowKey, ETag etag, CancellationToken ct)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, rowKey, etag, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or replaced by a newer copy whose writer answers for it.
        }
    }

    /// <summary>
    /// Marks (or clears) a merge's hold on the listed copies, so that lists show the record as the
    /// merge leaves it: <paramref name="held"/> is the record's row with the hold, as written.
    /// </summary>
    public Task HoldAsync(TableEntity held, ETag version, CancellationToken ct) =>
        ProjectAsync([new Listing(held, version, [], MayAdd: false)], ct);

    /// <summary>
    /// A page of one filter: the partition of the most selective value given, the other values as
    /// column filters. A page is full unless the list ends, and empty only at the end: the token
    /// is the last id returned, asked for one row more than the page holds.
    /// </summary>
    public async Task<Page<TableEntity>> PageAsync(LeadQuery query, int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var after = Unwrap(continuationToken);
        var (partition, columns) = Plan(query);
        var filters = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (after is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"RowKey gt {after}"));
        }
        filters.AddRange(columns);
        var filter = string.Join(" and ", filters);
        var items = new List<TableEntity>(pageSize + 1);
        string? token = null;
        do
        {
            var pages = Table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1 - items.Count, cancellationToken: ct).AsPages(token);
            await using var enumerator = pages.GetAsyncEnumerator(ct);
            if (!await enumerator.MoveNextAsync())
            {
                break;
            }
            items.AddRange(enumerator.Current.Values);
            token = enumerator.Current.ContinuationToken;
        }
        // A page with column filters may come back short with a token: read on until it is full or
        // the partition ends.
        while (items.Count <= pageSize && token is not null);
        foreach (var item in items)
        {
            item.ETag = new ETag(item.GetString(VersionColumn) ?? "");
        }
        if (items.Count <= pageSize)
        {
            return new Page<TableEntity>(items, null);
        }
        items.RemoveRange(pageSize, items.Count - pageSize);
        return new Page<TableEntity>(items, Wrap(items[^1].RowKey));
    }

    /// <summary>The partition to read and the column filters left; the status filter decides whether merged records are in.</summary>
    private static (string Partition, List<string> Columns) Plan(LeadQuery query)
    {
        var columns = new List<string>();
        var merged = query.Status == LeadStatus.Merged;
        string? partition = null;
        if (merged)
        {
            partition = "status:" + LeadRows.Wire(LeadStatus.Merged);
        }
        else if (query.Email is { } email)
        {
            partition = TableKeys.Escape("email:" + email);
        }
        else if (query.UserId is { } user)
        {
            partition = TableKeys.Escape("user:" + user);
        }
        else if (query.TeamId is { } team)
        {
            partition = TableKeys.Escape("team:" + team);
        }
        else if (query.Status is { } status)
        {
            partition = "status:" + LeadRows.Wire(status);
        }
        else if (query.Type is { } type)
        {
            partition = "type:" + LeadRows.Wire(type);
        }
        partition ??= AllPartition;
        void Column(string name, string? value)
        {
            if (value is not null && !partition.StartsWith(ColumnPrefix(name), StringComparison.Ordinal))
            {
                // The column name is ours; only the value is quoted by the SDK.
                columns.Add(name + " eq " + TableClient.CreateQueryFilter($"{value}"));
            }
        }
        Column("Status", query.Status is { } s ? LeadRows.Wire(s) : null);
        Column("Type", query.Type is { } t ? LeadRows.Wire(t) : null);
        Column("TeamId", query.TeamId);
        Column("UserId", query.UserId);
        Column("Email", query.Email);
        return (partition, columns);
    }

    private static string ColumnPrefix(string column) => column switch
    {
        "Status" => "status:",
        "Type" => "type:",
        "TeamId" => "team:",
        "UserId" => "user:",
        _ => "email:",
    };

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

    private static string Wrap(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(TokenMarker + lastId));

    private static string? Unwrap(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(TokenMarker, StringComparison.Ordinal) && Ids.IsWellFormed(text[TokenMarker.Length..]))
            {
                return text[TokenMarker.Length..];
            }
        }
        catch (FormatException)
        {
        }
        throw new InvalidContinuationTokenException("The continuation token is not one this service issued.");
    }
}
