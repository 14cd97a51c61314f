using System.Net;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Routing;

/// <summary>
/// Lead routing through the local host (SPEC 11): rules by country, source and tag; the default
/// team; load against capacity; an away member passed by and given the record once back; a
/// duplicate of an owned record going to its owner; a record not answered in time going to
/// another member; a reason on every assignment. Each test makes its own teams, salespeople and
/// rule values, so that they share one host without meeting.
/// </summary>
public sealed class RoutingTests(RoutingHost shared) : IClassFixture<RoutingHost>
{
    private readonly HttpClient client = shared.Client;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task Rules_by_country_source_and_tag_pick_the_first_matching_team_by_sequence()
    {
        var campaign = Unique("camp");
        var lea = await Routing.SalespersonAsync(client, "Lea");
        var max = await Routing.SalespersonAsync(client, "Max");
        var ivy = await Routing.SalespersonAsync(client, "Ivy");
        var benelux = await Routing.TeamAsync(client, new
        {
            name = "Benelux", sequence = 1, memberIds = new[] { lea },
            rules = new object[] { new { field = "country", op = "in", values = new[] { "BE", "NL", "LU" } }, new { field = "campaign", op = "equals", values = new[] { campaign } } },
        });
        var fairs = await Routing.TeamAsync(client, new
        {
            name = "Fairs", sequence = 2, memberIds = new[] { max },
            rules = new object[] { new { field = "source", op = "startsWith", values = new[] { campaign + "-fair" } } },
        });
        var vip = await Routing.TeamAsync(client, new
        {
            name = "VIP", sequence = 3, memberIds = new[] { ivy },
            rules = new object[] { new { field = "tags", op = "contains", values = new[] { campaign + "-vip" } } },
        });

        var belgian = await TestRecords.CreateAsync(client, new { name = "Belgian", country = "be", campaign, source = campaign + "-fair-2026" });
        var fair = await client.CaptureIdAsync(new { email = $"fair@{Api.UniqueDomain()}", source = campaign + "-fair-2026" });
        var tagged = await client.CaptureIdAsync(new { email = $"vip@{Api.UniqueDomain()}", tags = new[] { campaign + "-vip", "other" } });

        var first = await Routing.RoutedAsync(client, belgian);
        first.Str("userId").Should().Be(lea, "Benelux comes first by sequence, though Fairs' rule holds too");
        first.Str("teamId").Should().Be(benelux);
        first["assignment"].Str("status").Should().Be("assigned");
        first["assignment"].Str("reason").Should().Be($"country be and campaign {campaign} matched team Benelux; Lea had 0 in the last 30 days, no limit");
        first["assignedAt"].Should().NotBeNull();
        first["firstResponseAt"].Should().BeNull();
        var second = await Routing.RoutedAsync(client, fair);
        (second.Str("userId"), second.Str("teamId")).Should().Be((max, fairs));
        second["assignment"].Str("reason").Should().StartWith($"source {campaign}-fair-2026 matched team Fairs");
        var third = await Routing.RoutedAsync(client, tagged);
        (third.Str("userId"), third.Str("teamId")).Should().Be((ivy, vip));

        foreach (var (id, lead) in new[] { (belgian, first), (fair, second), (tagged, third) })
        {
            var entry = (await Routing.AssignedEntriesAsync(client, id)).Should().ContainSingle().Subject;
            entry.Str("message").Should().Be(char.ToUpperInvariant(lead["assignment"].Str("reason")![0]) + lead["assignment"].Str("reason")![1..] + ".");
            entry["data"].Str("salespersonId").Should().Be(lead.Str("userId"));
            entry["data"].Str("kind").Should().Be("rule");
            entry["actor"].Str("kind").Should().Be("system");
        }
    }

    [Fact]
    public async Task Members_share_by_load_against_capacity_and_a_full_team_waits()
    {
        var source = Unique("cap");
        var ann = await Routing.SalespersonAsync(client, "Ann", new { capacity = 1 });
        var bob = await Routing.SalespersonAsync(client, "Bob", new { capacity = 2 });
        var team = await Routing.TeamAsync(client, new
        {
            name = "Capacity", memberIds = new[] { ann, bob },
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source } } },
        });

        var owners = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var id = await TestRecords.CreateAsync(client, new { name = $"Lead {i}", source });
            owners.Add((await Routing.RoutedAsync(client, id)).Str("userId"));
        }
        var fourth = await Routing.RoutedAsync(client, await TestRecords.CreateAsync(client, new { name = "Lead 3", source }));

        owners.Count(o => o == ann).Should().Be(1);
        owners.Count(o => o == bob).Should().Be(2);
        fourth.Str("userId").Should().BeNull();
        fourth.Str("teamId").Should().Be(team);
        fourth["assignment"].Str("status").Should().Be("waiting");
        fourth["assignment"].Str("reason").Should().Contain("Ann at capacity: 1 of 1").And.Contain("Bob at capacity: 2 of 2");
        var members = await client.GetJsonAsync($"teams/{team}/members");
        members["members"]!.AsArray().Select(m => (m.Str("id"), m!["load"]!.GetValue<int>(), m["available"]!.GetValue<bool>()))
            .Should().BeEquivalentTo(new[] { (ann, 1, false), (bob, 2, false) });
    }

    [Fact]
    public async Task An_away_member_is_passed_by_and_a_waiting_record_is_theirs_once_they_are_back()
    {
        var source = Unique("away");
        var now = DateTimeOffset.UtcNow;
        var cleo = await Routing.SalespersonAsync(client, "Cleo", new { awayUntil = now.AddHours(1) });
        var dan = await Routing.SalespersonAsync(client, "Dan");
        await Routing.TeamAsync(client, new
        {
            name = "Away", memberIds = new[] { cleo, dan },
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source } } },
        });
        var alone = await Routing.TeamAsync(client, new
        {
            name = "Only Cleo", memberIds = new[] { cleo },
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source + "-alone" } } },
        });

        var passedBy = await Routing.RoutedAsync(client, await TestRecords.CreateAsync(client, new { name = "One", source }));
        var waitingId = await TestRecords.CreateAsync(client, new { name = "Two", source = source + "-alone" });
        var waiting = await Routing.RoutedAsync(client, waitingId);

        passedBy.Str("userId").Should().Be(dan);
        waiting.Str("userId").Should().BeNull();
        waiting.Str("teamId").Should().Be(alone);
        waiting["assignment"].Str("status").Should().Be("waiting");
        waiting["assignment"].Str("reason").Should().Contain("Cleo away until");
        // Still away: the pass leaves it waiting.
        await shared.Sweep.RunAsync(now.AddMinutes(30), TestContext.Current.CancellationToken);
        (await client.GetJsonAsync($"leads/{waitingId}"))["assignment"].Str("status").Should().Be("waiting");

        // Back (the pass runs at a time past awayUntil): the record is hers, with why.
        await shared.Sweep.RunAsync(now.AddHours(2), TestContext.Current.CancellationToken);

        var assigned = await client.GetJsonAsync($"leads/{waitingId}");
        assigned.Str("userId").Should().Be(cleo);
        assigned["assignment"].Str("status").Should().Be("assigned");
        assigned["assignment"].Str("reason").Should().StartWith("waited since").And.Contain("Cleo had 0");
        (await Routing.AssignedEntriesAsync(client, waitingId)).Select(e => e["data"].Str("kind")).Should().Equal("waiting", "team");
    }

    [Fact]
    public async Task A_duplicate_of_an_owned_record_goes_to_its_owner_and_team()
    {
        var email = $"known@{Api.UniqueDomain()}";
        var source = Unique("dup");
        var eve = await Routing.SalespersonAsync(client, "Eve");
        var fay = await Routing.SalespersonAsync(client, "Fay");
        var eveTeam = await Routing.TeamAsync(client, new { name = "Eve's", memberIds = new[] { eve } });
        await Routing.TeamAsync(client, new
        {
            name = "Rules", memberIds = new[] { fay },
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source } } },
        });
        var owned = await TestRecords.CreateAsync(client, new { name = "Known", email, userId = eve, teamId = eveTeam });
        (await client.WaitCheckedAsync(owned))["assignment"].Str("status").Should().Be("manual");

        var capture = await Routing.RoutedAsync(client, await client.CaptureIdAsync(new { email = email.ToUpperInvariant(), source }));

        capture.Str("userId").Should().Be(eve, "one customer, one salesperson, whatever the rules say");
        capture.Str("teamId").Should().Be(eveTeam);
        capture["assignment"].Str("reason").Should().StartWith($"same email as record {owned}, owned by Eve");
    }

    [Fact]
    public async Task A_record_not_answered_in_time_goes_to_another_member_at_most_maxReassignments_times()
    {
        var source = Unique("due");
        var gus = await Routing.SalespersonAsync(client, "Gus");
        var hal = await Routing.SalespersonAsync(client, "Hal");
        await Routing.TeamAsync(client, new
        {
            name = "Fast", memberIds = new[] { gus, hal }, respondWithin = "PT2H", maxReassignments = 1,
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source } } },
        });
        var first = await Routing.RoutedAsync(client, await TestRecords.CreateAsync(client, new { name = "Slow", source }));
        var second = await Routing.RoutedAsync(client, await TestRecords.CreateAsync(client, new { name = "Answered", source }));
        var (slow, answered) = (first.Str("id")!, second.Str("id")!);
        var slowOwner = first.Str("userId")!;
        var answeredOwner = second.Str("userId")!;
        answeredOwner.Should().NotBe(slowOwner);
        var respondBy = first["assignment"]!["respondBy"]!.GetValue<DateTimeOffset>();
        respondBy.Should().BeCloseTo(first["assignedAt"]!.GetValue<DateTimeOffset>().AddHours(2), TimeSpan.FromSeconds(1));

        // The owner of the second answers with a note, as themselves.
        using var owner = new HttpClient { BaseAddress = client.BaseAddress };
        var ownerEmail = (await client.GetJsonAsync($"salespeople/{answeredOwner}")).Str("email")!;
        DevCredentials.SignIn(owner, await DevCredentials.TokenAsync(client.BaseAddress!, ownerEmail, ["sales"]));
        await owner.SendJsonAsync(HttpMethod.Post, $"leads/{answered}/notes", new { message = "Called back." }, HttpStatusCode.Created);
        (await client.GetJsonAsync($"leads/{answered}"))["firstResponseAt"].Should().NotBeNull();

        // Before the deadline nothing moves; after it, the unanswered one goes to the other member.
        await shared.Sweep.RunAsync(respondBy.AddMinutes(-1), TestContext.Current.CancellationToken);
        (await client.GetJsonAsync($"leads/{slow}")).Str("userId").Should().Be(slowOwner);
        await shared.Sweep.RunAsync(respondBy.AddMinutes(1), TestContext.Current.CancellationToken);

        var moved = await client.GetJsonAsync($"leads/{slow}");
        moved.Str("userId").Should().NotBe(slowOwner).And.BeOneOf(gus, hal);
        moved["assignment"]!["reassignments"]!.GetValue<int>().Should().Be(1);
        moved["assignment"].Str("reason").Should().StartWith($"{(slowOwner == gus ? "Gus" : "Hal")} did not answer within PT2H");
        (await client.GetJsonAsync($"leads/{answered}")).Str("userId").Should().Be(answeredOwner, "its owner answered in time");
        (await Routing.AssignedEntriesAsync(client, slow)).Should().HaveCount(2);

        // The one reassignment the team allows is spent: the next deadline passes without a move.
        await shared.Sweep.RunAsync(respondBy.AddDays(2), TestContext.Current.CancellationToken);
        (await client.GetJsonAsync($"leads/{slow}")).Str("userId").Should().Be(moved.Str("userId"));
    }

    [Fact]
    public async Task The_default_team_takes_what_no_rule_matches_and_there_is_one_default()
    {
        var ida = await Routing.SalespersonAsync(client, "Ida");
        var sales = await Routing.TeamAsync(client, new { name = "Everyone else", @default = true, sequence = 99, memberIds = new[] { ida } });
        await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Second default", @default = true }, HttpStatusCode.Conflict);

        var lead = await Routing.RoutedAsync(client, await TestRecords.CreateAsync(client, new { name = "Anyone", source = Unique("none") }));

        (lead.Str("userId"), lead.Str("teamId")).Should().Be((ida, sales));
        lead["assignment"].Str("reason").Should().StartWith("no rule matched; default team Everyone else");
        // Not to leave a default behind for the class's other tests' records.
        await client.SendJsonAsync(HttpMethod.Patch, $"teams/{sales}", new { @default = false }, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"rules\":[{\"field\":\"colour\",\"op\":\"equals\",\"values\":[\"red\"]}]}", "rules[0].field")]
    [InlineData("{\"name\":\"x\",\"rules\":[{\"field\":\"source\",\"op\":\"equals\",\"values\":[]}]}", "rules[0].values")]
    [InlineData("{\"name\":\"x\",\"respondWithin\":\"two hours\"}", "respondWithin")]
    [InlineData("{\"name\":\"x\",\"timeZone\":\"Mars/Olympus\"}", "timeZone")]
    [InlineData("{\"name\":\"x\",\"workingHours\":{\"days\":[\"monday\"],\"start\":\"18:00\",\"end\":\"09:00\"}}", "workingHours.end")]
    public async Task A_bad_rule_or_respond_setting_is_a_400_naming_the_field(string body, string field)
    {
        var problem = await client.SendJsonAsync(HttpMethod.Post, "teams", body, HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(field);
    }
}
