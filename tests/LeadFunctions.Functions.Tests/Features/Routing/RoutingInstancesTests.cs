using System.Collections.Concurrent;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;
using LeadFunctions.Functions.Features.Routing;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Routing;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Routing;

/// <summary>
/// Two instances routing at once (SPEC 11): each picks on the loads it knows, which the other's
/// counts make stale; the count is conditional on the picked member's ledger, so the members
/// still end within one record of their share, and each routing is counted once.
/// </summary>
public sealed class RoutingInstancesTests() : IsolatedHostTests(queues: false, settings: RoutingHost.Settings)
{
    private const int Records = 150;

    [Fact]
    public async Task Two_instances_picking_on_stale_loads_still_share_within_one_record()
    {
        string[] members = [await Routing.SalespersonAsync(Client, "Ria"), await Routing.SalespersonAsync(Client, "Sol"), await Routing.SalespersonAsync(Client, "Tam")];
        var team = await Routing.TeamAsync(Client, new
        {
            name = "Two instances", memberIds = members,
            rules = new object[] { new { field = "source", op = "equals", values = new[] { "web" } } },
        });
        var directory = Host.Services.GetRequiredService<DirectoryStore>();
        var store = Host.Services.GetRequiredService<RoutingStore>();
        using var first = new LeadRouter(directory, store, new WriteFaults());
        using var second = new LeadRouter(directory, store, new WriteFaults());
        var picks = new ConcurrentBag<string>();
        var now = DateTimeOffset.UtcNow;

        await Parallel.ForEachAsync(Enumerable.Range(0, Records), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken },
            async (i, ct) =>
            {
                var lead = new Lead { Id = Ids.New(), Status = LeadStatus.Active, Source = "web" };
                var decision = await (i % 2 == 0 ? first : second).DecideAsync(lead, [], new HashSet<string>(), now, dryRun: false, ct);
                decision!.Status.Should().Be(AssignmentStatus.Assigned);
                picks.Add(decision.UserId!);
                // A second try of the same routing, on the other instance: counted once.
                (await (i % 2 == 0 ? second : first).DecideAsync(lead, [], new HashSet<string>(), now, dryRun: false, ct, freshLoads: true))!.UserId.Should().Be(decision.UserId);
            });

        var shares = members.Select(m => picks.Count(p => p == m)).ToList();
        (shares.Max() - shares.Min()).Should().BeLessThanOrEqualTo(1, "shares {0}", string.Join(", ", shares));
        var loads = (await Client.GetJsonAsync($"teams/{team}/members"))["members"]!.AsArray().Select(m => m!["load"]!.GetValue<int>());
        loads.Should().BeEquivalentTo(shares);
        loads.Sum().Should().Be(Records);
    }
}
