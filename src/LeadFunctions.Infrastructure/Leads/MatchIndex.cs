using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// The secondary index: one partition per match key ("email:ann@acme.test"), one row per record
/// holding it, so that finding the records that share a key costs one request whatever the number
/// of stored leads.
/// </summary>
public sealed class MatchIndex(StorageClients clients)
{
    private TableClient Table => clients.Index;

    public static string PartitionOf(MatchKey key) => TableKeys.Escape(key.ToString());

    public static string CustomerEmailPartition(string normalizedEmail) => TableKeys.Escape("customer-email:" + normalizedEmail);

    /// <summary>Moves a record from the keys it had to the keys it has.</summary>
    public async Task SyncAsync(string id, IReadOnlyCollection<MatchKey> before, IReadOnlyCollection<MatchKey> after, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var adds = after.Select(k => AddAsync(PartitionOf(k), id, ct));
        var removes = before.Except(after).Select(k => RemoveAsync(PartitionOf(k), id, ct));
        await Task.WhenAll(adds.Concat(removes));
    }

    public async Task AddAsync(string partition, string id, CancellationToken ct)
    {
        // Created once per process (a no-op after): a customer can be the first thing a fresh account stores.
        await clients.EnsureCreatedAsync();
        await Table.UpsertEntityAsync(new TableEntity(partition, id), TableUpdateMode.Replace, ct);
    }

    public async Task RemoveAsync(string partition, string id, CancellationToken ct)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, id, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// The row that says a domain or name is crowded and every member has dropped it from its
    /// edges. "!" sorts before every id, so a read of the key's first members always sees it.
    /// </summary>
    public const string CrowdedMarker = "!crowded";

    /// <summary>The ids under one key, at most <paramref name="limit"/> of them.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string partition, int limit, CancellationToken ct) =>
        (await ReadKeyAsync(partition, limit, ct)).Ids;

    /// <summary>The ids under one key (at most <paramref name="limit"/>), and whether it is marked crowded; one request.</summary>
    public async Task<(IReadOnlyList<string> Ids, bool MarkedCrowded)> ReadKeyAsync(string partition, int limit, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var ids = new List<string>();
        var marked = false;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), select: ["RowKey"], cancellationToken: ct))
        {
            if (row.RowKey == CrowdedMarker)
            {
                marked = true;
                continue;
            }
            ids.Add(row.RowKey);
            if (ids.Count >= limit)
            {
                break;
            }
        }
        return (ids, marked);
    }
}
