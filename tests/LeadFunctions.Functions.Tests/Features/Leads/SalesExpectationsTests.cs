using System.Net;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Leads;

/// <summary>
/// SPEC 4.2–4.4 as a salesperson expects them (issue 10): phones in their own country, any
/// display-name email, colleagues apart from the same customer, won deals, names, customers kept.
/// </summary>
public sealed class SalesExpectationsTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task A_belgian_national_number_matches_the_same_number_written_internationally()
    {
        var marker = Api.UniqueDomain();
        var person = $"Luc Q{Guid.NewGuid():N}";
        var national = await Create(new { name = $"BE national {marker}", phone = "0485112233", country = "Belgium", contactName = person });
        var international = await Create(new { name = $"BE international {marker}", phone = "+32 485 11 22 33", contactName = person });

        var similar = await Api.EventuallyAsync(() => client.SimilarAsync(international), s => s.Ids().Contains(national));

        similar.MatchedOn(national).Should().Contain("phone");
    }

    [Fact]
    public async Task Any_display_name_form_of_an_email_is_accepted_and_matches_its_address()
    {
        var domain = Api.UniqueDomain();
        var display = $"\"Amy, PhD Student, Wong\" Tiny <AMY.WONG@{domain}>";

        var lead = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Display form", email = display }, HttpStatusCode.Created);
        var customer = await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "person", name = "Amy Wong", email = display }, HttpStatusCode.Created);
        var plain = await Create(new { name = "Plain form", email = $"amy.wong@{domain}" });

        lead["email"]!.GetValue<string>().Should().Be(display, "the stored value is never altered");
        customer["email"]!.GetValue<string>().Should().Be(display);
        (await Api.EventuallyAsync(() => client.SimilarAsync(plain), s => s.Ids().Contains(lead["id"]!.GetValue<string>())))
            .MatchedOn(lead["id"]!.GetValue<string>()).Should().Contain("email");
        (await client.GetJsonAsync($"customers?email=amy.wong@{domain}"))["items"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Converting_with_create_or_in_bulk_auto_keeps_the_lead_s_own_customer()
    {
        var customer = await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "company", name = "Kept Customer Ltd" }, HttpStatusCode.Created);
        var customerId = customer["id"]!.GetValue<string>();
        var one = await Create(new { name = "Has a customer", contactName = "Kept Person", companyName = "Other Name", customerId });
        var two = await Create(new { name = "Has a customer too", contactName = "Kept Person", customerId });

        var converted = await client.SendJsonAsync(HttpMethod.Post, $"leads/{one}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.OK);
        var bulk = await client.SendJsonAsync(HttpMethod.Post, "conversions", new { leadIds = new[] { two }, customerMode = "auto" }, HttpStatusCode.OK);

        converted["lead"]!["customerId"]!.GetValue<string>().Should().Be(customerId);
        converted["customer"]!["id"]!.GetValue<string>().Should().Be(customerId);
        bulk["results"]![0]!["status"]!.GetValue<string>().Should().Be("converted");
        (await client.GetJsonAsync($"leads/{two}"))["customerId"]!.GetValue<string>().Should().Be(customerId);
        (await client.GetJsonAsync($"leads/{one}/log"))["items"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "converted")!["data"]!["createdCustomerIds"]!
            .AsArray().Should().BeEmpty("no second customer was made");
    }

    [Fact]
    public async Task A_merge_given_a_salesperson_without_a_team_takes_the_salesperson_s_team()
    {
        var lea = (await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name = "Lea", email = $"lea@{Api.UniqueDomain()}" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var old = (await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Old team" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var leas = (await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Lea's team", leaderId = lea }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var email = $"merge@{Api.UniqueDomain()}";
        var a = await Create(new { name = "A", email, teamId = old });
        var b = await Create(new { name = "B", email, teamId = old });

        var merged = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b }, userId = lea }, HttpStatusCode.Created);

        merged["lead"]!["userId"]!.GetValue<string>().Should().Be(lea);
        merged["lead"]!["teamId"]!.GetValue<string>().Should().Be(leas);
    }

    [Fact]
    public async Task Colleagues_are_similar_as_company_but_never_proposed_for_a_merge()
    {
        var company = (await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "company", name = "Colleague Corp" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var amy = (await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "person", name = "Amy", companyId = company }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var bob = (await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "person", name = "Bob", companyId = company }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var amysDeal = await Create(new { name = "Amy's deal", type = "opportunity", customerId = amy });
        var amysOther = await Create(new { name = "Amy's other deal", customerId = amy });
        var bobsLead = await Create(new { name = "Bob's lead", customerId = bob });

        var similar = await Api.EventuallyAsync(() => client.SimilarAsync(bobsLead), s => s["count"]!.GetValue<int>() == 2);
        similar.MatchedOn(amysDeal).Should().Equal("company");
        (await Api.EventuallyAsync(() => client.SimilarAsync(amysOther), s => s.Ids().Contains(amysDeal))).MatchedOn(amysDeal).Should().Equal("customer");

        var bobsDefaults = await client.GetJsonAsync($"leads/{bobsLead}/conversion");
        bobsDefaults["action"]!.GetValue<string>().Should().Be("convert", "a colleague's deal is not Bob's");
        var amysDefaults = await client.GetJsonAsync($"leads/{amysOther}/conversion");
        amysDefaults["action"]!.GetValue<string>().Should().Be("merge");
        amysDefaults["duplicates"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).Should().Equal(amysDeal);
    }

    [Fact]
    public async Task An_opportunity_is_won_and_restored_and_a_lead_cannot_be_won()
    {
        var lead = await Create(new { name = "Not yet an opportunity" });
        var deal = await Create(new { name = "Big deal", type = "opportunity" });

        await client.SendJsonAsync(HttpMethod.Post, $"leads/{lead}/win", null, HttpStatusCode.Conflict);
        var won = await client.SendJsonAsync(HttpMethod.Post, $"leads/{deal}/win", null, HttpStatusCode.OK);
        won["status"]!.GetValue<string>().Should().Be("won");
        won["wonAt"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{deal}/win", null, HttpStatusCode.Conflict);
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{deal}/lose", new { reason = "changed mind" }, HttpStatusCode.Conflict);
        (await client.GetJsonAsync($"leads/{deal}/log"))["items"]![0]!["kind"]!.GetValue<string>().Should().Be("won");
        (await client.GetJsonAsync($"leads?status=won&pageSize=200")).Ids().Should().Contain(deal);

        var restored = await client.SendJsonAsync(HttpMethod.Post, $"leads/{deal}/restore", null, HttpStatusCode.OK);
        restored["status"]!.GetValue<string>().Should().Be("active");
        restored["wonAt"].Should().BeNull();
    }

    [Fact]
    public async Task A_won_deal_is_similar_but_is_not_a_duplicate_to_merge_and_a_merge_then_convert_leaves_it_alone()
    {
        var email = $"won@{Api.UniqueDomain()}";
        var deal = await Create(new { name = "Won deal", type = "opportunity", email });
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{deal}/win", null, HttpStatusCode.OK);
        var open = await Create(new { name = "Open deal", type = "opportunity", email });
        var lead = await Create(new { name = "New lead", email });

        var similar = await Api.EventuallyAsync(() => client.SimilarAsync(lead), s => s["count"]!.GetValue<int>() == 2);
        similar.Ids().Should().Contain(deal);
        var defaults = await client.GetJsonAsync($"leads/{lead}/conversion");
        defaults["duplicates"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).Should().Equal(open);

        var converted = await client.SendJsonAsync(HttpMethod.Post, $"leads/{lead}/convert", new { action = "merge" }, HttpStatusCode.OK);

        converted["mergeId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var stillWon = await client.GetJsonAsync($"leads/{deal}");
        stillWon["status"]!.GetValue<string>().Should().Be("won");
        stillWon["mergedInto"].Should().BeNull();
        converted["lead"]!["type"]!.GetValue<string>().Should().Be("opportunity");
        converted["lead"]!["status"]!.GetValue<string>().Should().Be("active");
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{deal}/convert", new { }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Names_written_differently_match_on_their_rules_together_and_one_name_alone_is_too_little()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        // The marker keeps other tests' records out; first, so that a legal form still ends the name.
        var first = await Create(new { name = "First", contactName = $"{marker} Jean-Luc Picard", companyName = $"{marker} Globex Industries, Inc." });
        var second = await Create(new { name = "Second", contactName = $"{marker.ToUpperInvariant()} jean luc PICARD", companyName = $"{marker.ToUpperInvariant()} GLOBEX industries" });
        var namesake = await Create(new { name = "Namesake", contactName = $"{marker} Jean Luc Picard" });

        var similar = await Api.EventuallyAsync(() => client.SimilarAsync(second), s => s.Ids().Contains(first));

        similar.MatchedOn(first).Should().Equal("company-name", "contact-name");
        (await client.WaitCheckedAsync(namesake))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0, "a name alone may be a namesake's");
    }

    [Fact]
    public async Task Short_names_once_folded_do_not_match()
    {
        var first = await Create(new { name = "Wong one", companyName = "Wong Co" });
        var second = await Create(new { name = "Wong two", companyName = "Wong Co." });
        await client.WaitCheckedAsync(first);

        (await client.WaitCheckedAsync(second))["duplicateCheck"]!["similarIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().NotContain(first);
    }

    [Fact]
    public async Task The_new_rules_are_settings_switches_on_by_default()
    {
        var settings = await client.GetJsonAsync("settings");

        foreach (var rule in new[] { "company", "companyName", "contactName" })
        {
            settings["duplicateRules"]![rule]!.GetValue<bool>().Should().BeTrue(rule);
        }
    }

    private async Task<string> Create(object body) =>
        (await client.SendJsonAsync(HttpMethod.Post, "leads", body, HttpStatusCode.Created))["id"]!.GetValue<string>();
}
