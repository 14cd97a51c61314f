using System.Net;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Merges;

/// <summary>SPEC 4.2 "Consent and attribution survive merges", through the API: the merge, its dry run and its undo.</summary>
public sealed class ConsentMergeTests(SharedHost shared)
{
    private static readonly string[] Flags = ["emailOptOut", "phoneOptOut", "doNotContact"];

    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task A_merge_keeps_every_opt_out_even_with_field_sources_naming_the_permissive_record_and_keeps_the_first_and_last_touch()
    {
        var fair = await TestRecords.CreateAsync(client, new { name = "Ann at the fair", source = "fair", medium = "offline" });
        var web = await TestRecords.CreateAsync(client, new { name = "Ann on the web", emailOptOut = true, doNotContact = true, source = "google", medium = "cpc", campaign = "spring" });
        var call = await TestRecords.CreateAsync(client, new { name = "Ann on the phone", phoneOptOut = true });
        var picks = Flags.ToDictionary(f => f, _ => fair);
        picks["campaign"] = fair;
        var request = new { leadIds = new[] { call, web, fair }, fieldSources = picks };

        var dry = await client.SendJsonAsync(HttpMethod.Post, "merges", new { request.leadIds, request.fieldSources, dryRun = true }, HttpStatusCode.OK);
        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", request, HttpStatusCode.Created);

        dry["survivorId"]!.GetValue<string>().Should().Be(fair);
        Flags.Should().AllSatisfy(f => dry["lead"]![f]!.GetValue<bool>().Should().BeTrue(f));
        dry["sources"]!["emailOptOut"]!.GetValue<string>().Should().Be(web, "the source holds the kept value, whatever was picked");
        dry["sources"]!["phoneOptOut"]!.GetValue<string>().Should().Be(call);
        dry["sources"]!["doNotContact"]!.GetValue<string>().Should().Be(web);
        merge["lead"]!["firstTouch"].Should().NotBeNull();
        var survivor = await client.GetJsonAsync($"leads/{fair}");
        Flags.Should().AllSatisfy(f => survivor[f]!.GetValue<bool>().Should().BeTrue(f));
        survivor["campaign"].Should().BeNull("a picked single-valued field still follows the pick");
        await ShouldBeTouchAsync(survivor["firstTouch"], fair, "fair", "offline", null);
        await ShouldBeTouchAsync(survivor["lastTouch"], web, "google", "cpc", "spring");
        var tombstone = await client.GetJsonAsync($"leads/{web}");
        tombstone["doNotContact"]!.GetValue<bool>().Should().BeTrue("a tombstone keeps its data");
        tombstone["firstTouch"].Should().BeNull("a record merged away was never a survivor");
    }

    [Fact]
    public async Task Undo_gives_the_survivor_back_its_consent_and_no_touches()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A", source = "fair" });
        var b = await TestRecords.CreateAsync(client, new { name = "B", doNotContact = true, phoneOptOut = true, source = "web" });
        var before = await TestRecords.SnapshotAsync(client, [a, b]);
        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        merge["lead"]!["doNotContact"]!.GetValue<bool>().Should().BeTrue();
        merge["lead"]!["lastTouch"]!["leadId"]!.GetValue<string>().Should().Be(b);

        await client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.OK);

        (await TestRecords.SnapshotAsync(client, [a, b])).Should().BeEquivalentTo(before);
        var survivor = await client.GetJsonAsync($"leads/{a}");
        (survivor["doNotContact"]!.GetValue<bool>(), survivor["phoneOptOut"]!.GetValue<bool>()).Should().Be((false, false));
        survivor["firstTouch"].Should().BeNull();
        survivor["lastTouch"].Should().BeNull();
        (await client.GetJsonAsync($"leads/{b}"))["doNotContact"]!.GetValue<bool>().Should().BeTrue("the record comes back as it was");
    }

    [Fact]
    public async Task Undoing_a_merge_keeps_an_opt_out_a_later_merge_into_the_survivor_brought()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A" });
        var b = await TestRecords.CreateAsync(client, new { name = "B", emailOptOut = true });
        var c = await TestRecords.CreateAsync(client, new { name = "C", emailOptOut = true, doNotContact = true });
        var first = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        // The second merge changes nothing the survivor shows but doNotContact; the email opt-out was true already.
        var second = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, c } }, HttpStatusCode.Created);

        await client.SendJsonAsync(HttpMethod.Post, $"merges/{first["mergeId"]}/undo", new { force = true }, HttpStatusCode.OK);

        var survivor = await client.GetJsonAsync($"leads/{a}");
        survivor["emailOptOut"]!.GetValue<bool>().Should().BeTrue("C, still merged into A, opted out: the undone merge must not take C's opt-out with it");
        survivor["doNotContact"]!.GetValue<bool>().Should().BeTrue();
        (await client.GetJsonAsync($"leads/{b}"))["emailOptOut"]!.GetValue<bool>().Should().BeTrue();
        second["mergeId"].Should().NotBeNull();
    }

    [Fact]
    public async Task A_survivor_merged_again_brings_its_touches_and_undoing_the_first_merge_after_it_keeps_the_second_s()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A", source = "fair" });
        var b = await TestRecords.CreateAsync(client, new { name = "B", source = "web" });
        var first = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        // Its only difference is a later touch: nothing else of the survivor changes.
        var c = await TestRecords.CreateAsync(client, new { name = "C", source = "fair" });

        var second = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, c } }, HttpStatusCode.Created);

        second["lead"]!["firstTouch"]!["leadId"]!.GetValue<string>().Should().Be(a);
        second["lead"]!["lastTouch"]!["leadId"]!.GetValue<string>().Should().Be(c);
        var refused = await client.SendJsonAsync(HttpMethod.Post, $"merges/{first["mergeId"]}/undo", null, HttpStatusCode.Conflict);
        refused["detail"]!.GetValue<string>().Should().Contain("lastTouch");
        await client.SendJsonAsync(HttpMethod.Post, $"merges/{first["mergeId"]}/undo", new { force = true }, HttpStatusCode.OK);
        var survivor = await client.GetJsonAsync($"leads/{a}");
        survivor["firstTouch"]!["leadId"]!.GetValue<string>().Should().Be(a);
        survivor["lastTouch"]!["leadId"]!.GetValue<string>().Should().Be(c, "the later merge's touch stays; none names the record gone home");
        (await client.GetJsonAsync($"leads/{b}"))["status"]!.GetValue<string>().Should().Be("active");
    }

    [Fact]
    public async Task Consent_is_written_by_create_and_patch_and_the_touches_are_not()
    {
        var id = await TestRecords.CreateAsync(client, new { name = "Ann", emailOptOut = true });
        var created = await client.GetJsonAsync($"leads/{id}");
        (created["emailOptOut"]!.GetValue<bool>(), created["phoneOptOut"]!.GetValue<bool>(), created["doNotContact"]!.GetValue<bool>()).Should().Be((true, false, false));

        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"leads/{id}", new { emailOptOut = (bool?)null, doNotContact = true }, HttpStatusCode.OK);

        (patched["emailOptOut"]!.GetValue<bool>(), patched["doNotContact"]!.GetValue<bool>()).Should().Be((false, true), "null clears a flag to its default");
        var refused = await client.SendJsonAsync(HttpMethod.Patch, $"leads/{id}", new { firstTouch = new { leadId = id, source = "x" } }, HttpStatusCode.BadRequest);
        refused["errors"]!.AsObject().Should().ContainKey("firstTouch");
        await client.SendJsonAsync(HttpMethod.Patch, $"leads/{id}", new { phoneOptOut = "yes" }, HttpStatusCode.BadRequest);
        var log = (await client.GetJsonAsync($"leads/{id}/log"))["items"]!.AsArray();
        log.First(e => e!["kind"]!.GetValue<string>() == "updated")!["message"]!.GetValue<string>().Should().Be("Changed emailOptOut, doNotContact.");
    }

    private async Task ShouldBeTouchAsync(JsonNode? touch, string leadId, string? source, string? medium, string? campaign)
    {
        var record = await client.GetJsonAsync($"leads/{leadId}");
        touch.Should().NotBeNull();
        touch!["leadId"]!.GetValue<string>().Should().Be(leadId);
        ((string?)touch["source"], (string?)touch["medium"], (string?)touch["campaign"]).Should().Be((source, medium, campaign));
        touch["at"]!.GetValue<DateTimeOffset>().Should().Be(record["createdAt"]!.GetValue<DateTimeOffset>(), "a touch is at its record's creation");
    }
}
