using System.Globalization;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Routing;

/// <summary>
/// A salesperson's assignments by the rules: a count per day (the rolling 30-day load is their
/// sum) and the last records given, which make a second try of the same assignment find the first.
/// </summary>
public sealed class LoadLedger
{
    public Dictionary<string, int> Days { get; set; } = [];
    public List<string> Recent { get; set; } = [];
    public DateTimeOffset? LastAssignedAt { get; set; }
}

/// <summary>A salesperson's ledger as read, with the version a reservation is conditional on (null: no row yet).</summary>
public sealed record LoadRow(string SalespersonId, LoadLedger Ledger, string? Version)
{
    /// <summary>Records given in the 30 days up to <paramref name="now"/> (UTC days, today included).</summary>
    public int LoadAt(DateTimeOffset now)
    {
        var from = DayOf(now.AddDays(-29));
        return Ledger.Days.Where(d => string.CompareOrdinal(d.Key, from) >= 0).Sum(d => d.Value);
    }

    /// <summary>Whether this routing of a record (its mark, "{leadId}:{n}") was counted here.</summary>
    public bool Holds(string mark) => Ledger.Recent.Contains(mark, StringComparer.Ordinal);

    internal static string DayOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A record waiting for someone of its team to be available.</summary>
public sealed record WaitingRow(string LeadId, string TeamId, DateTimeOffset Since);

/// <summary>A record whose owner must answer by <paramref name="By"/>, else it goes back to the rules.</summary>
public sealed record DueRow(string Key, string LeadId, DateTimeOffset By);

/// <summary>
/// The routing table (SPEC 11). Loads are counted here, not from the records, so that picking the
/// least loaded member and counting the pick is one conditional write on that member's row: two
/// checks that pick the same member cannot both win, and the loser picks again on fresh counts,
/// which keeps every member within one record of their share in a burst.
/// </summary>
public sealed class RoutingStore(StorageClients clients)
{
    private const string LoadPartition = "load";
    private const string WaitingPartition = "waiting";
    private const string DuePartition = "due";

    /// <summary>How many of a salesperson's last records the ledger keeps to recognise a second try (a redelivery comes within minutes).</summary>
    public const int RecentKept = 200;

    private TableClient Table => clients.Routing;

    /// <summary>Every salesperson's ledger: one query, however large the team.</summary>
    public async Task<Dictionary<string, LoadRow>> LoadsAsync(CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var rows = new Dictionary<string, LoadRow>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {LoadPartition}"), cancellationToken: ct))
        {
            rows[row.RowKey] = new LoadRow(row.RowKey, JsonRow.Read<LoadLedger>(row), row.ETag.ToString());
        }
        return rows;
    }

    /// <summary>
    /// Counts a routing of a record (<paramref name="mark"/>) for the salesperson, if their ledger is still as read.
    /// Days older than 30 are dropped on the way.
    /// </summary>
    /// <returns>The ledger as written, or null when another assignment changed it first: read again and pick again.</returns>
    public async Task<LoadRow?> TryCountAsync(LoadRow row, string mark, DateTimeOffset now, CancellationToken ct)
    {
        var ledger = row.Ledger;
        var from = LoadRow.DayOf(now.AddDays(-30));
        var today = LoadRow.DayOf(now);
        var next = new LoadLedger
        {
            Days = ledger.Days.Where(d => string.CompareOrdinal(d.Key, from) >= 0).ToDictionary(StringComparer.Ordinal),
            Recent = [.. ledger.Recent.Append(mark).TakeLast(RecentKept)],
            LastAssignedAt = now,
        };
        next.Days[today] = next.Days.GetValueOrDefault(today) + 1;
        var entity = JsonRow.Create(LoadPartition, row.SalespersonId, next);
        await clients.EnsureCreatedAsync();
        try
        {
            var response = row.Version is null
                ? await Table.AddEntityAsync(entity, ct)
                : await Table.UpdateEntityAsync(entity, new ETag(row.Version), TableUpdateMode.Replace, ct);
            return new LoadRow(row.SalespersonId, next, response.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Remembers that the record waits for someone of its team, to be tried from <paramref name="nextTry"/> on.</summary>
    public async Task WaitAsync(string leadId, string teamId, DateTimeOffset since, DateTimeOffset nextTry, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await Table.UpsertEntityAsync(new TableEntity(WaitingPartition, leadId) { ["TeamId"] = teamId, ["Since"] = since, ["NextTry"] = nextTry }, TableUpdateMode.Replace, ct);
    }

    /// <summary>
    /// The records waiting whose next try has come. One still waiting after a try is put back
    /// later (<see cref="WaitAsync"/>), so that records whose team has nobody never hold up the others.
    /// </summary>
    public async Task<List<WaitingRow>> WaitingAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var rows = new List<WaitingRow>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {WaitingPartition} and NextTry le {now}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: max, cancellationToken: ct))
        {
            rows.Add(new WaitingRow(row.RowKey, row.GetString("TeamId") ?? "", row.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue));
            if (rows.Count >= max)
            {
                break;
            }
        }
        return rows;
    }

    public Task StopWaitingAsync(string leadId, CancellationToken ct) => DeleteAsync(WaitingPartition, leadId, ct);

    /// <summary>Remembers that the owner must answer by <paramref name="by"/>; the key sorts by that time.</summary>
    public async Task DueAsync(string leadId, DateTimeOffset by, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await Table.UpsertEntityAsync(new TableEntity(DuePartition, KeyOf(leadId, by)) { ["LeadId"] = leadId, ["By"] = by }, TableUpdateMode.Replace, ct);
    }

    /// <summary>The answers due by <paramref name="now"/>, earliest first.</summary>
    public async Task<List<DueRow>> DueByAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var upTo = TimeKey(now) + "~";
        var rows = new List<DueRow>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DuePartition} and RowKey lt {upTo}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: max, cancellationToken: ct))
        {
            rows.Add(new DueRow(row.RowKey, row.GetString("LeadId") ?? "", row.GetDateTimeOffset("By") ?? now));
            if (rows.Count >= max)
            {
                break;
            }
        }
        return rows;
    }

    public Task ForgetDueAsync(DueRow row, CancellationToken ct) => DeleteAsync(DuePartition, row.Key, ct);

    /// <summary>Looks at an overdue record again from <paramref name="nextTry"/> on (nobody else could take it yet); it stays due by the same time.</summary>
    public async Task DueAgainAsync(DueRow row, DateTimeOffset nextTry, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await Table.UpsertEntityAsync(new TableEntity(DuePartition, KeyOf(row.LeadId, nextTry)) { ["LeadId"] = row.LeadId, ["By"] = row.By }, TableUpdateMode.Replace, ct);
        await ForgetDueAsync(row, ct);
    }

    private static string KeyOf(string leadId, DateTimeOffset by) => $"{TimeKey(by)}|{leadId}";

    private static string TimeKey(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private async Task DeleteAsync(string partition, string row, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        try
        {
            await Table.DeleteEntityAsync(partition, row, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
