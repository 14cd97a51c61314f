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

    /// <summary>
    /// The row a record has under a key: its id, or for an anonymous capture "~" and its id, which
    /// sorts after every id, so that the first rows of a key are the team's records and one read
    /// counts them (SPEC 4.2: only they crowd a key).
    /// </summary>
    public static string RowOf(string id, bool anonymous) => anonymous ? AnonymousPrefix + id : id;

    /// <summary>Both rows a record may have under a key (an erasure takes either).</summary>
    public static IEnumerable<string> RowsOf(string id) => [id, AnonymousPrefix + id];

    private const string AnonymousPrefix = "~";

    /// <summary>
    /// Moves a record from the keys it had to the keys it has, in the form <paramref name="anonymous"/>
    /// says. <paramref name="indexedAnonymous"/>: rows of the anonymous form may exist, and go from
    /// the keys it leaves, and from every key once a person has acted on the capture.
    /// </summary>
    public async Task SyncAsync(string id, IReadOnlyCollection<MatchKey> before, IReadOnlyCollection<MatchKey> after, bool anonymous,
        bool indexedAnonymous, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var adds = after.Select(k => AddAsync(PartitionOf(k), RowOf(id, anonymous), ct));
        var forms = indexedAnonymous ? RowsOf(id) : [id];
        var removes = before.Except(after).SelectMany(k => forms.Select(row => RemoveAsync(PartitionOf(k), row, ct)));
        var formerForm = indexedAnonymous && !anonymous ? after.Intersect(before).Select(k => RemoveAsync(PartitionOf(k), RowOf(id, true), ct)) : [];
        await Task.WhenAll(adds.Concat(removes).Concat(formerForm));
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

    /// <summary>The row that says a relink of the key is waiting (<see cref="RelinkMarkers"/>); sorts before every id.</summary>
    public const string RelinkMarker = "!relink";

    /// <summary>The ids under one key, at most <paramref name="limit"/> of them.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string partition, int limit, CancellationToken ct) =>
        (await ReadKeyAsync(partition, limit, ct)).Ids;

    /// <summary>
    /// The ids under one key (at most <paramref name="limit"/>, the team's first), how many of
    /// them are the team's, and the key's markers; one request.
    /// </summary>
    public async Task<KeyMembers> ReadKeyAsync(string partition, int limit, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var team = 0;
        var crowded = false;
        var relink = false;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 3, 1000), select: ["RowKey"], cancellationToken: ct))
        {
            switch (row.RowKey)
            {
                case CrowdedMarker:
                    crowded = true;
                    continue;
                case RelinkMarker:
                    relink = true;
                    continue;
            }
            var anonymous = row.RowKey.StartsWith(AnonymousPrefix, StringComparison.Ordinal);
            // A record moving from the anonymous form has both rows for a moment: counted once, as the team's.
            if (!seen.Add(anonymous ? row.RowKey[AnonymousPrefix.Length..] : row.RowKey))
            {
                continue;
            }
            ids.Add(anonymous ? row.RowKey[AnonymousPrefix.Length..] : row.RowKey);
            team += anonymous ? 0 : 1;
            if (ids.Count >= limit)
            {
                break;
            }
        }
        return new KeyMembers(ids, team, crowded, relink);
    }
}

/// <summary>What one read of a key finds: its members (the team's first), how many are the team's, and its markers.</summary>
public sealed record KeyMembers(IReadOnlyList<string> Ids, int TeamCount, bool MarkedCrowded, bool RelinkWaiting);
