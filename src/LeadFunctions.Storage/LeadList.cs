using System.Buffers.Text;
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
/// the number of stored leads. Written after each write of the record itself; a neighbour's check
/// (which changes only the record's duplicateCheck) does not write here, so a listed item's
/// duplicateCheck is the one of its own last write, consistent with its own checkedAt; GET by id
/// is always current.
/// </summary>
public sealed class LeadList(StorageClients clients)
{
    public const string VersionColumn = "Version";
    private const string AllPartition = "all";
    private const string TokenMarker = "lf-list1:";

    /// <summary>The columns a list item needs: the record's data, its filter columns, and a merge's hold.</summary>
    private static readonly string[] Filters = ["Type", "Status", "TeamId", "UserId", "Email"];

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
    /// no longer. Upserts and deletes: a second run writes the same.
    /// </summary>
    public async Task ProjectAsync(TableEntity written, ETag version, TableEntity? before, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var now = PartitionsOf(written);
        var gone = before is null ? [] : PartitionsOf(before).Except(now, StringComparer.Ordinal);
        await Task.WhenAll(
            CopiesOf(written, version).Select(copy => Table.UpsertEntityAsync(copy, TableUpdateMode.Replace, ct))
                .Concat(gone.Select(p => DeleteIfExistsAsync(p, written.PartitionKey, ct))));
    }

    /// <summary>Marks (or clears) a merge's hold on the listed copies, so that lists show the record as the merge leaves it.</summary>
    public async Task HoldAsync(TableEntity row, string hold, ETag version, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await Task.WhenAll(PartitionsOf(row).Select(async p =>
        {
            try
            {
                await Table.UpdateEntityAsync(new TableEntity(p, row.PartitionKey) { [LeadRows.MergeLockColumn] = hold, [VersionColumn] = version.ToString() },
                    ETag.All, TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Not listed yet (its first check has not run): nothing to mark.
            }
        }));
    }

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
