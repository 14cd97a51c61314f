using System.Buffers.Text;
using System.Text;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>The pages of <c>GET /leads</c>, read from the list projection.</summary>
public sealed partial class LeadList
{
    /// <summary>
    /// Rows a page with filters combined reads, unless configured (<c>Leads:ListPageReadLimit</c>):
    /// as many as one storage response holds.
    /// </summary>
    public const int DefaultPageReadLimit = 1000;

    /// <summary>The most rows Table Storage returns in one response.</summary>
    private const int MaxPerResponse = 1000;

    private const string TokenMarker = "lf-list1:";

    /// <summary>
    /// A page of one filter: the partition of the most selective value given, in id order, the
    /// token being the last id the page covers. With one filter (or none) every row of the
    /// partition is listed: a page is one range query of one row more than it holds, full unless
    /// the list ends, and empty only at the end. Filters combined are compared here on the rows
    /// read, at most <see cref="DefaultPageReadLimit"/> (or as configured) a page: a page that
    /// reaches the limit ends there, short or even empty, with a token to go on from the last
    /// row read. Left to storage, the other filters would let one request scan a whole partition
    /// (every lost record, say) for a match that is not there.
    /// </summary>
    public async Task<Page<TableEntity>> PageAsync(LeadQuery query, int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var after = Unwrap(continuationToken);
        var (partition, columns) = Plan(query);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (after is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        }
        var limit = columns.Count == 0 ? pageSize + 1 : pageReadLimit;
        var items = new List<TableEntity>(pageSize + 1);
        var read = 0;
        string? lastRead = null;
        string? token = null;
        do
        {
            var ask = Math.Min(limit - read, MaxPerResponse);
            var pages = Table.QueryAsync<TableEntity>(filter, maxPerPage: ask, cancellationToken: ct).AsPages(token, ask);
            await using var enumerator = pages.GetAsyncEnumerator(ct);
            if (!await enumerator.MoveNextAsync())
            {
                token = null;
                break;
            }
            token = enumerator.Current.ContinuationToken;
            foreach (var row in enumerator.Current.Values)
            {
                read++;
                lastRead = row.RowKey;
                if (!columns.All(c => string.Equals(row.GetString(c.Name), c.Value, StringComparison.Ordinal)))
                {
                    continue;
                }
                items.Add(row);
                if (items.Count > pageSize)
                {
                    break;
                }
            }
        }
        // Storage may answer short with a token (at a server boundary): read on, within the limit.
        while (items.Count <= pageSize && token is not null && read < limit);
        foreach (var item in items)
        {
            item.ETag = new ETag(item.GetString(VersionColumn) ?? "");
        }
        if (items.Count > pageSize)
        {
            items.RemoveRange(pageSize, items.Count - pageSize);
            return new Page<TableEntity>(items, Wrap(items[^1].RowKey));
        }
        return new Page<TableEntity>(items, token is not null && lastRead is not null ? Wrap(lastRead) : null);
    }

    /// <summary>The partition to read and the column values left to compare; the status filter decides whether merged records are in.</summary>
    private static (string Partition, List<(string Name, string Value)> Columns) Plan(LeadQuery query)
    {
        var columns = new List<(string Name, string Value)>();
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
                columns.Add((name, value));
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
