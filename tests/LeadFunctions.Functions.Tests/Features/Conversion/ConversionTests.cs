using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Conversion;

/// <summary>Conversion of leads into opportunities through the API (SPEC 4.3).</summary>
public sealed class ConversionTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    private async Task<string> SalespersonAsync(string name) =>
        (await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name }, HttpStatusCode.Created))["id"]!.GetValue<string>();

    [Fact]
    public async Task A_lead_with_a_contact_and_a_company_converts_creating_both_customers()
    {
        var seller = await SalespersonAsync("Sam");
        var team = (await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Wong team", memberIds = new[] { seller } }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var id = await TestRecords.CreateAsync(client, new
        {
            name = "Wong deal", contactName = "Amy Wong", companyName = "Wong Co", email = $"amy@{Api.UniqueDomain()}", phone = "+1 415 555 0177",
            city = "Hong Kong", userId = seller, teamId = team,
        });
        await client.WaitCheckedAsync(id);

        var defaults = await client.GetJsonAsync($"leads/{id}/conversion");
        defaults["action"]!.GetValue<string>().Should().Be("convert");
        defaults["customer"]!["mode"]!.GetValue<string>().Should().Be("create");
        defaults["userId"]!.GetValue<string>().Should().Be(seller);
        defaults["teamId"]!.GetValue<string>().Should().Be(team);
        defaults["duplicates"]!.AsArray().Should().BeEmpty();

        var converted = await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.OK);

        var lead = converted["lead"]!;
        lead["type"]!.GetValue<string>().Should().Be("opportunity");
        lead["convertedAt"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var person = await client.GetJsonAsync($"customers/{lead["customerId"]}");
        person["kind"]!.GetValue<string>().Should().Be("person");
        person["name"]!.GetValue<string>().Should().Be("Amy Wong");
        person["phone"]!.GetValue<string>().Should().Be("+1 415 555 0177");
        var company = await client.GetJsonAsync($"customers/{person["companyId"]}");
        company["kind"]!.GetValue<string>().Should().Be("company");
        company["name"]!.GetValue<string>().Should().Be("Wong Co");
        var log = (await client.GetJsonAsync($"leads/{id}/log"))["items"]!.AsArray();
        log[0]!["kind"]!.GetValue<string>().Should().Be("converted");
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/convert", new { action = "convert" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_customer_with_the_lead_s_email_is_suggested_for_linking()
    {
        var domain = $"zed-{Guid.NewGuid():N}"[..16] + ".test";
        var customer = await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "company", name = "Zed Co", email = $"Zed@{domain.ToUpperInvariant()}" }, HttpStatusCode.Created);
        var id = await TestRecords.CreateAsync(client, new { name = "Zed lead", email = $"zed@{domain}" });

        var defaults = await client.GetJsonAsync($"leads/{id}/conversion");

        defaults["customer"]!["mode"]!.GetValue<string>().Should().Be("link");
        defaults["customer"]!["customerId"]!.GetValue<string>().Should().Be(customer["id"]!.GetValue<string>());
        var converted = await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/convert", new { }, HttpStatusCode.OK);
        converted["lead"]!["customerId"]!.GetValue<string>().Should().Be(customer["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Converting_with_merge_leaves_one_active_opportunity_with_the_first_lead_s_id()
    {
        var email = $"ann@{Api.UniqueDomain()}";
        var first = await TestRecords.CreateAsync(client, new { name = "First", contactName = "Ann First", email });
        await client.WaitCheckedAsync(first);
        var opportunity = await TestRecords.CreateAsync(client, new { name = "Deal", type = "opportunity", email, expectedRevenue = 9000 });
        await client.WaitCheckedAsync(opportunity);
        var third = await TestRecords.CreateAsync(client, new { name = "Third", email });
        await client.WaitCheckedAsync(third);
        var defaults = await Api.EventuallyAsync(() => client.GetJsonAsync($"leads/{third}/conversion"), d => d["duplicates"]!.AsArray().Count == 2);
        defaults["action"]!.GetValue<string>().Should().Be("merge");

        // No customer mode given: the default is made for what the merge leaves (the first lead has a contact).
        var converted = await client.SendJsonAsync(HttpMethod.Post, $"leads/{third}/convert", new { action = "merge" }, HttpStatusCode.OK);

        var lead = converted["lead"]!;
        lead["id"]!.GetValue<string>().Should().Be(first);
        lead["type"]!.GetValue<string>().Should().Be("opportunity");
        lead["status"]!.GetValue<string>().Should().Be("active");
        lead["expectedRevenue"]!.GetValue<decimal>().Should().Be(9000);
        lead["customerId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        converted["mergeId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        (await client.GetJsonAsync($"customers/{lead["customerId"]}"))["name"]!.GetValue<string>().Should().Be("Ann First");
        foreach (var other in new[] { opportunity, third })
        {
            var tombstone = await client.GetJsonAsync($"leads/{other}");
            tombstone["status"]!.GetValue<string>().Should().Be("merged");
            tombstone["mergedInto"]!.GetValue<string>().Should().Be(first);
        }
    }

    [Fact]
    public async Task Opportunities_lost_leads_and_merged_records_do_not_convert()
    {
        var opportunity = await TestRecords.CreateAsync(client, new { name = "O", type = "opportunity" });
        var lost = await TestRecords.CreateAsync(client, new { name = "L" });
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{lost}/lose", null, HttpStatusCode.OK);
        var a = await TestRecords.CreateAsync(client, new { name = "A" });
        var b = await TestRecords.CreateAsync(client, new { name = "B" });
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);

        (await client.SendJsonAsync(HttpMethod.Post, $"leads/{opportunity}/convert", new { }, HttpStatusCode.Conflict))["detail"]!.GetValue<string>().Should().Contain("opportunity");
        (await client.SendJsonAsync(HttpMethod.Post, $"leads/{lost}/convert", new { }, HttpStatusCode.Conflict))["detail"]!.GetValue<string>().Should().Contain("lost");
        (await client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/convert", new { action = "convert" }, HttpStatusCode.Conflict))["mergedInto"]!.GetValue<string>().Should().Be(a);
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/convert", new { customer = new { mode = "link" } }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/convert", new { customer = new { mode = "link", customerId = "01ARZ3NDEKTSV4RRFFQ69G5FAV" } }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/convert", new { customer = new { mode = "teleport" } }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_merged_record_does_not_convert_even_with_action_merge()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A" });
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/lose", null, HttpStatusCode.OK);
        var b = await TestRecords.CreateAsync(client, new { name = "B" });
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/lose", null, HttpStatusCode.OK);
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);

        var refused = await client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/convert", new { action = "merge" }, HttpStatusCode.Conflict);

        refused["mergedInto"]!.GetValue<string>().Should().Be(a);
        var survivor = await client.GetJsonAsync($"leads/{a}");
        survivor["status"]!.GetValue<string>().Should().Be("lost");
        survivor["type"]!.GetValue<string>().Should().Be("lead");
    }

    [Fact]
    public async Task Bulk_without_salespeople_keeps_each_lead_s_salesperson_and_team()
    {
        var seller = await SalespersonAsync("Keeps");
        var team = (await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Not Keeps's team" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var id = await TestRecords.CreateAsync(client, new { name = "Kept", userId = seller, teamId = team });

        await client.SendJsonAsync(HttpMethod.Post, "conversions", new { leadIds = new[] { id }, customerMode = "none" }, HttpStatusCode.OK);

        var lead = await client.GetJsonAsync($"leads/{id}");
        lead["type"]!.GetValue<string>().Should().Be("opportunity");
        lead["userId"]!.GetValue<string>().Should().Be(seller);
        lead["teamId"]!.GetValue<string>().Should().Be(team);
    }

    [Fact]
    public async Task A_salesperson_given_without_a_team_takes_the_first_team_they_belong_to()
    {
        var seller = await SalespersonAsync("Mia");
        var other = await SalespersonAsync("Other");
        var leadTeam = (await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Lead's team", memberIds = new[] { other } }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var miaTeam = (await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Mia's team", leaderId = seller }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var id = await TestRecords.CreateAsync(client, new { name = "Assign", teamId = leadTeam });

        var converted = await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/convert", new { action = "convert", customer = new { mode = "none" }, userId = seller }, HttpStatusCode.OK);

        converted["lead"]!["userId"]!.GetValue<string>().Should().Be(seller);
        converted["lead"]!["teamId"]!.GetValue<string>().Should().Be(miaTeam);
        converted["customer"].Should().BeNull();
    }

    [Fact]
    public async Task Bulk_assigns_round_robin_and_an_unknown_id_fails_alone()
    {
        var one = await SalespersonAsync("One");
        var two = await SalespersonAsync("Two");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await TestRecords.CreateAsync(client, new { name = $"Bulk {i}", contactName = $"Person {i}" }));
        }
        var request = ids.Take(2).Append("01ARZ3NDEKTSV4RRFFQ69G5FAV").Concat(ids.Skip(2)).ToList();

        var response = await client.SendJsonAsync(HttpMethod.Post, "conversions", new { leadIds = request, userIds = new[] { one, two }, customerMode = "none" }, HttpStatusCode.OK);

        var results = response["results"]!.AsArray();
        results.Select(r => r!["status"]!.GetValue<string>()).Should().Equal("converted", "converted", "failed", "converted", "converted");
        results[2]!["error"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var assigned = new List<string>();
        foreach (var id in ids)
        {
            var lead = await client.GetJsonAsync($"leads/{id}");
            lead["type"]!.GetValue<string>().Should().Be("opportunity");
            assigned.Add(lead["userId"]!.GetValue<string>());
        }
        assigned.Should().Equal(one, two, one, two);
    }

    [Fact]
    public async Task Bulk_with_deduplicate_merges_same_email_leads_before_converting()
    {
        var email = $"dup@{Api.UniqueDomain()}";
        var first = await TestRecords.CreateAsync(client, new { name = "Dup 1", email });
        await client.WaitCheckedAsync(first);
        var second = await TestRecords.CreateAsync(client, new { name = "Dup 2", email });
        await client.WaitCheckedAsync(second);
        await Api.EventuallyAsync(() => client.SimilarAsync(second), s => s["count"]!.GetValue<int>() == 1);

        var response = await client.SendJsonAsync(HttpMethod.Post, "conversions", new { leadIds = new[] { second }, deduplicate = true, customerMode = "create" }, HttpStatusCode.OK);

        response["results"]![0]!["status"]!.GetValue<string>().Should().Be("converted");
        response["results"]![0]!["opportunityId"]!.GetValue<string>().Should().Be(first);
        (await client.GetJsonAsync($"leads/{second}"))["mergedInto"]!.GetValue<string>().Should().Be(first);
        (await client.GetJsonAsync($"leads/{first}"))["type"]!.GetValue<string>().Should().Be("opportunity");
    }

    [Theory]
    [InlineData("{\"leadIds\": []}")]
    [InlineData("{\"leadIds\": null}")]
    [InlineData("{\"leadIds\": [\"01ARZ3NDEKTSV4RRFFQ69G5FAV\", \"01ARZ3NDEKTSV4RRFFQ69G5FAV\"]}")]
    [InlineData("{\"leadIds\": [\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"], \"userIds\": [\"nobody\"]}")]
    [InlineData("{\"leadIds\": [\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"], \"userIds\": [null]}")]
    [InlineData("{\"leadIds\": [\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"], \"customerMode\": \"sometimes\"}")]
    public async Task A_bad_bulk_request_is_a_400(string body)
    {
        await client.SendJsonAsync(HttpMethod.Post, "conversions", body, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_bulk_of_101_is_a_400()
    {
        var ids = Enumerable.Range(0, 101).Select(_ => LeadFunctions.Domain.Ids.New()).ToList();
        await client.SendJsonAsync(HttpMethod.Post, "conversions", new { leadIds = ids }, HttpStatusCode.BadRequest);
    }
}
