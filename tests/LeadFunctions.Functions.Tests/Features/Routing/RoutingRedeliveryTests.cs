using System.Net;
using LeadFunctions.Domain;
using LeadFunctions.Functions.Features.Ingest;
using LeadFunctions.Infrastructure.Leads;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Routing;

/// <summary>
/// Routing is idempotent (SPEC 11): on a host whose queues are not read, each test runs the
/// checks itself, delivered twice, twice at once, or dying after the member's count and before
/// the record's write; and POST /assignments reaches the records stored before any rule, first dry.
/// </summary>
public sealed class RoutingRedeliveryTests() : IsolatedHostTests(queues: false, settings: RoutingHost.Settings)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IngestProcessor Processor => Host.Services.GetRequiredService<IngestProcessor>();

    private async Task<(string Team, string[] Members)> TeamAsync(string source)
    {
        string[] members = [await Routing.SalespersonAsync(Client, "Nia"), await Routing.SalespersonAsync(Client, "Oto")];
        var team = await Routing.TeamAsync(Client, new
        {
            name = "Redelivered", memberIds = members,
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source } } },
        });
        return (team, members);
    }

    private async Task<int> TotalLoadAsync(string team) =>
        (await Client.GetJsonAsync($"teams/{team}/members"))["members"]!.AsArray().Sum(m => m!["load"]!.GetValue<int>());

    [Fact]
    public async Task A_check_delivered_twice_or_twice_at_once_assigns_the_record_once()
    {
        var (team, members) = await TeamAsync("web");
        var twice = await TestRecords.CreateAsync(Client, new { name = "Twice", source = "web" });
        var together = await TestRecords.CreateAsync(Client, new { name = "Together", source = "web" });
        var message = new CheckMessage(twice, Ids.New());

        await Processor.ProcessAsync(message, 1, Ct);
        await Processor.ProcessAsync(message, 2, Ct);
        await Task.WhenAll(Processor.ProcessAsync(new CheckMessage(together, Ids.New()), 1, Ct), Processor.ProcessAsync(new CheckMessage(together, Ids.New()), 1, Ct));

        foreach (var id in new[] { twice, together })
        {
            var lead = await Client.GetJsonAsync($"leads/{id}");
            lead.Str("userId").Should().BeOneOf(members);
            (await Routing.AssignedEntriesAsync(Client, id)).Should().ContainSingle();
        }
        (await TotalLoadAsync(team)).Should().Be(2, "each record is counted once");
    }

    [Fact]
    public async Task A_check_dying_after_counting_is_done_again_onto_the_same_member_counted_once()
    {
        var (team, members) = await TeamAsync("fair");
        var id = await TestRecords.CreateAsync(Client, new { name = "Dies", source = "fair" });
        var message = new CheckMessage(id, Ids.New());
        Faults.Reset((_, step) => step == "routing: counted");

        var dying = () => Processor.ProcessAsync(message, 1, Ct);
        await dying.Should().ThrowAsync<LeadFunctions.Infrastructure.Tables.InjectedFaultException>();
        (await Client.GetJsonAsync($"leads/{id}")).Str("userId").Should().BeNull("the process died before the record was written");
        var counted = (await Client.GetJsonAsync($"teams/{team}/members"))["members"]!.AsArray().Single(m => m!["load"]!.GetValue<int>() == 1).Str("id");
        Faults.Reset();
        await Processor.ProcessAsync(message, 2, Ct);

        (await Client.GetJsonAsync($"leads/{id}")).Str("userId").Should().Be(counted).And.BeOneOf(members);
        (await TotalLoadAsync(team)).Should().Be(1);
    }

    [Fact]
    public async Task POST_assignments_routes_records_stored_before_the_rules_and_a_dry_run_changes_nothing()
    {
        // Stored while no team routes: their checks leave them as they came.
        var before = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = await TestRecords.CreateAsync(Client, new { name = $"Old {i}", source = "legacy" });
            await Processor.ProcessAsync(new CheckMessage(id, Ids.New()), 1, Ct);
            before.Add(id);
        }
        var pia = await Routing.SalespersonAsync(Client, "Pia");
        var email = $"twin@{Api.UniqueDomain()}";
        var owned = await TestRecords.CreateAsync(Client, new { name = "Owned", source = "legacy", email, userId = pia });
        var twin = await TestRecords.CreateAsync(Client, new { name = "Twin", source = "legacy", email });
        await Processor.ProcessAsync(new CheckMessage(owned, Ids.New()), 1, Ct);
        await Processor.ProcessAsync(new CheckMessage(twin, Ids.New()), 1, Ct);
        (await Client.GetJsonAsync($"leads/{before[0]}"))["assignment"].Should().BeNull();
        var (team, members) = await TeamAsync("legacy");

        var dry = await Client.SendJsonAsync(HttpMethod.Post, "assignments?pageSize=200", new { dryRun = true }, HttpStatusCode.OK);

        dry["dryRun"]!.GetValue<bool>().Should().BeTrue();
        dry["results"]!.AsArray().Select(r => r.Str("id")).Should().BeEquivalentTo(before.Append(twin), "the owned record is nobody's to route");
        dry["results"]!.AsArray().Where(r => r.Str("id") != twin)
            .Should().OnlyContain(r => r.Str("status") == "assigned" && r.Str("teamId") == team && r.Str("reason")!.StartsWith("source legacy matched team Redelivered"));
        var toOwner = dry["results"]!.AsArray().Single(r => r.Str("id") == twin);
        (toOwner.Str("userId"), toOwner.Str("reason")).Should().Be((pia, $"same email as record {owned}, owned by Pia; Pia had 0 in the last 30 days, no limit"));
        (await Client.GetJsonAsync($"leads/{before[0]}"))["assignment"].Should().BeNull();
        (await TotalLoadAsync(team)).Should().Be(0);

        var run = await Client.SendJsonAsync(HttpMethod.Post, "assignments?pageSize=200", new { }, HttpStatusCode.OK);

        run["results"]!.AsArray().Select(r => r.Str("id")).Should().BeEquivalentTo(before.Append(twin));
        (await Client.GetJsonAsync($"leads/{twin}")).Str("userId").Should().Be(pia, "one customer, one salesperson");
        foreach (var id in before)
        {
            var lead = await Client.GetJsonAsync($"leads/{id}");
            lead.Str("userId").Should().BeOneOf(members);
            var entry = (await Routing.AssignedEntriesAsync(Client, id)).Should().ContainSingle().Subject;
            entry["actor"].Str("kind").Should().Be("person", "the run is its caller's");
        }
        (await Client.GetJsonAsync($"leads/{owned}"))["assignment"].Str("status").Should().Be("manual");
        (await TotalLoadAsync(team)).Should().Be(3, "the twin went to its owner, who is not of the team");
        (await Client.SendJsonAsync(HttpMethod.Post, "assignments?pageSize=200", new { }, HttpStatusCode.OK))["results"]!.AsArray().Should().BeEmpty("nothing is left unassigned");
    }
}
