using System.Collections.Concurrent;
using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Routing;

/// <summary>
/// A burst of 500 captures, 32 at a time, on a team of three (SPEC 11): checks run side by side
/// and pick the least loaded member at the same moments, yet each member ends within one record
/// of their share, and every record is assigned once, with one assigned entry.
/// </summary>
public sealed class RoutingBurstTests(RoutingHost shared) : IClassFixture<RoutingHost>
{
    private const int Captures = 500;
    private const int Concurrency = 32;

    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task A_burst_of_500_captures_is_shared_fairly_and_each_is_assigned_once()
    {
        var source = $"burst-{Guid.NewGuid():N}"[..14];
        string[] members = [await Routing.SalespersonAsync(client, "Kim"), await Routing.SalespersonAsync(client, "Lou"), await Routing.SalespersonAsync(client, "Mo")];
        var team = await Routing.TeamAsync(client, new
        {
            name = "Burst", memberIds = members,
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source } } },
        });
        var ids = new ConcurrentBag<string>();
        var domain = Api.UniqueDomain();
        await Parallel.ForEachAsync(Enumerable.Range(0, Captures), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => ids.Add(await client.CaptureIdAsync(new { email = $"visitor{i}@{domain}", source })));

        var owners = await OwnersOnceAssignedAsync(team, ids.Count);

        owners.Keys.Should().BeEquivalentTo(ids);
        var shares = members.Select(m => owners.Values.Count(o => o == m)).ToList();
        shares.Sum().Should().Be(Captures);
        (shares.Max() - shares.Min()).Should().BeLessThanOrEqualTo(1, "each member gets their share within one record: {0}", string.Join(", ", shares));
        var loads = (await client.GetJsonAsync($"teams/{team}/members"))["members"]!.AsArray().Select(m => m!["load"]!.GetValue<int>());
        loads.Should().BeEquivalentTo(shares, "the loads count each record once");
        foreach (var id in ids.Take(20))
        {
            (await Routing.AssignedEntriesAsync(client, id)).Should().ContainSingle();
        }
    }

    /// <summary>The team's records by owner, read from the list once every one of them is assigned (ingest works in the background).</summary>
    private async Task<Dictionary<string, string>> OwnersOnceAssignedAsync(string team, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            string? token = null;
            do
            {
                var page = await client.GetJsonAsync($"leads?teamId={team}&pageSize=200" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"));
                foreach (var item in page["items"]!.AsArray())
                {
                    if (item.Str("userId") is { } owner)
                    {
                        owners[item.Str("id")!] = owner;
                    }
                }
                token = page["continuationToken"]?.GetValue<string>();
            }
            while (token is not null);
            if (owners.Count >= expected)
            {
                return owners;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {owners.Count} of {expected} records were assigned in time.");
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
