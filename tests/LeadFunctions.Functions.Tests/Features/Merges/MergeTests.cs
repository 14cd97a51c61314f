using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Merges;

/// <summary>Merges through the API (SPEC 4.4).</summary>
public sealed class MergeTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task Merging_b_and_a_keeps_a_with_every_rule_applied_and_b_as_a_tombstone()
    {
        var domain = Api.UniqueDomain();
        var a = await TestRecords.CreateAsync(client, new { name = "A", email = $"a@{domain}", tags = new[] { "x", "y" }, priority = 1, expectedRevenue = 0, description = "first", city = "Lyon" });
        var b = await TestRecords.CreateAsync(client, new
        {
            name = "B", phone = "+1 415 555 0134", tags = new[] { "y", "z" }, priority = 3, expectedRevenue = 5000, description = "second",
            street = "1 Main St", city = "Springfield", zip = "12345", country = "US",
        });
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/notes", new { message = "B's note" }, HttpStatusCode.Created);

        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { b, a } }, HttpStatusCode.Created);

        merge["survivorId"]!.GetValue<string>().Should().Be(a);
        merge["mergedIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(b);
        var survivor = await client.GetJsonAsync($"leads/{a}");
        survivor["email"]!.GetValue<string>().Should().Be($"a@{domain}");
        survivor["phone"]!.GetValue<string>().Should().Be("+1 415 555 0134");
        survivor["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("x", "y", "z");
        survivor["priority"]!.GetValue<int>().Should().Be(3);
        survivor["expectedRevenue"]!.GetValue<decimal>().Should().Be(5000);
        survivor["street"]!.GetValue<string>().Should().Be("1 Main St");
        survivor["city"]!.GetValue<string>().Should().Be("Springfield", "the address comes as one block");
        survivor["description"]!.GetValue<string>().Should().Be("first\n\nsecond");

        var tombstone = await client.GetJsonAsync($"leads/{b}");
        tombstone["status"]!.GetValue<string>().Should().Be("merged");
        tombstone["mergedInto"]!.GetValue<string>().Should().Be(a);
        tombstone["phone"]!.GetValue<string>().Should().Be("+1 415 555 0134", "a tombstone keeps its data");

        var log = (await client.GetJsonAsync($"leads/{a}/log?pageSize=200"))["items"]!.AsArray();
        var merged = log.Single(e => e!["kind"]!.GetValue<string>() == "merged")!;
        merged["data"]!["records"]![b]!["phone"]!.GetValue<string>().Should().Be("+1 415 555 0134");
        merged["data"]!["records"]![b]!["description"]!.GetValue<string>().Should().Be("second");
        log.Should().Contain(e => e!["kind"]!.GetValue<string>() == "note" && e["leadId"]!.GetValue<string>() == b && e["message"]!.GetValue<string>() == "B's note");
        (await client.GetJsonAsync($"merges/{merge["mergeId"]}"))["state"]!.GetValue<string>().Should().Be("applied");
    }

    [Fact]
    public async Task A_lead_and_a_later_opportunity_give_an_opportunity_with_the_lead_s_id()
    {
        var lead = await TestRecords.CreateAsync(client, new { name = "L" });
        var opportunity = await TestRecords.CreateAsync(client, new { name = "O", type = "opportunity" });

        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { opportunity, lead } }, HttpStatusCode.Created);

        merge["lead"]!["id"]!.GetValue<string>().Should().Be(lead);
        merge["lead"]!["type"]!.GetValue<string>().Should().Be("opportunity");
    }

    [Fact]
    public async Task An_older_lost_lead_and_an_active_lead_give_the_active_one_as_an_active_survivor()
    {
        var old = await TestRecords.CreateAsync(client, new { name = "Old" });
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{old}/lose", new { reason = "gone quiet" }, HttpStatusCode.OK);
        var active = await TestRecords.CreateAsync(client, new { name = "Active" });

        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { old, active } }, HttpStatusCode.Created);

        merge["survivorId"]!.GetValue<string>().Should().Be(active);
        var survivor = await client.GetJsonAsync($"leads/{active}");
        survivor["status"]!.GetValue<string>().Should().Be("active");
        survivor["lostReason"].Should().BeNull();
    }

    [Fact]
    public async Task Bad_merge_requests_are_refused_and_change_nothing()
    {
        var ids = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            ids.Add(await TestRecords.CreateAsync(client, new { name = $"R{i}" }));
        }
        var before = await TestRecords.SnapshotAsync(client, ids);
        var other = await TestRecords.CreateAsync(client, new { name = "Other" });
        var absorbed = await TestRecords.CreateAsync(client, new { name = "Absorbed" });
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { other, absorbed } }, HttpStatusCode.Created);

        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = ids.Take(1) }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = ids }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { ids[0], ids[1], ids[0] } }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { ids[0], "01ARZ3NDEKTSV4RRFFQ69G5FAV" } }, HttpStatusCode.NotFound);
        var conflict = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { ids[0], absorbed } }, HttpStatusCode.Conflict);
        conflict["mergedInto"]!.GetValue<string>().Should().Be(other);
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { ids[0], "../x" } }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, "merges", "{\"leadIds\": null}", HttpStatusCode.BadRequest);

        (await TestRecords.SnapshotAsync(client, ids)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Ten_records_merge_into_one()
    {
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await TestRecords.CreateAsync(client, new { name = $"T{i}", tags = new[] { $"t{i}" } }));
        }

        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = ids }, HttpStatusCode.Created);

        merge["survivorId"]!.GetValue<string>().Should().Be(ids[0]);
        merge["lead"]!["tags"]!.AsArray().Should().HaveCount(10);
        foreach (var id in ids.Skip(1))
        {
            (await client.GetJsonAsync($"leads/{id}"))["status"]!.GetValue<string>().Should().Be("merged");
        }
    }

    [Fact]
    public async Task Two_overlapping_merges_at_the_same_moment_give_one_201_and_one_409()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A" });
        var b = await TestRecords.CreateAsync(client, new { name = "B" });
        var c = await TestRecords.CreateAsync(client, new { name = "C" });

        // Both merge b away, so that whichever runs first, and however they overlap, the other
        // finds b merged or taken: exactly one may apply.
        var first = client.PostAsync("merges", TestRecords.Json(new { leadIds = new[] { a, b } }), TestContext.Current.CancellationToken);
        var second = client.PostAsync("merges", TestRecords.Json(new { leadIds = new[] { b, c }, survivorId = c }), TestContext.Current.CancellationToken);
        var answers = await Task.WhenAll(first, second);

        answers.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Created, HttpStatusCode.Conflict]);
        var winner = answers[0].StatusCode == HttpStatusCode.Created ? a : c;
        (await client.GetJsonAsync($"leads/{b}"))["mergedInto"]!.GetValue<string>().Should().Be(winner);
        (await client.GetJsonAsync($"leads/{a}"))["status"]!.GetValue<string>().Should().Be("active");
        (await client.GetJsonAsync($"leads/{c}"))["status"]!.GetValue<string>().Should().Be("active");
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task A_dry_run_shows_the_result_and_each_field_s_source_and_changes_nothing()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A", description = "a" });
        var b = await TestRecords.CreateAsync(client, new { name = "B", phone = "+1 415 555 0199" });
        var before = await TestRecords.SnapshotAsync(client, [a, b]);

        var dry = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b }, dryRun = true }, HttpStatusCode.OK);

        dry["survivorId"]!.GetValue<string>().Should().Be(a);
        dry["lead"]!["phone"]!.GetValue<string>().Should().Be("+1 415 555 0199");
        dry["sources"]!["phone"]!.GetValue<string>().Should().Be(b);
        dry["sources"]!["name"]!.GetValue<string>().Should().Be(a);
        dry.Should().NotContainKey("mergeId");
        (await TestRecords.SnapshotAsync(client, [a, b])).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Field_sources_and_a_chosen_survivor_are_honoured()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A name" });
        var b = await TestRecords.CreateAsync(client, new { name = "B name" });

        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges",
            new { leadIds = new[] { a, b }, survivorId = b, fieldSources = new Dictionary<string, string> { ["name"] = a } }, HttpStatusCode.Created);

        merge["survivorId"]!.GetValue<string>().Should().Be(b);
        merge["lead"]!["name"]!.GetValue<string>().Should().Be("A name");
        await client.SendJsonAsync(HttpMethod.Post, "merges",
            new { leadIds = new[] { await TestRecords.CreateAsync(client, new { name = "x" }), await TestRecords.CreateAsync(client, new { name = "y" }) }, fieldSources = new Dictionary<string, string> { ["colour"] = a } },
            HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Tombstones_leave_lists_and_similar_records()
    {
        var domain = Api.UniqueDomain();
        var a = await client.CaptureIdAsync(new { email = $"ann@{domain}" });
        await client.WaitCheckedAsync(a);
        var b = await client.CaptureIdAsync(new { email = $"ann@{domain}", name = "again" });
        await client.WaitCheckedAsync(b);

        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);

        (await client.GetJsonAsync($"leads?email={Uri.EscapeDataString($"ann@{domain}")}")).Ids().Should().Equal(a);
        (await client.GetJsonAsync($"leads?email={Uri.EscapeDataString($"ann@{domain}")}&status=merged")).Ids().Should().Equal(b);
        await Api.EventuallyAsync(() => client.SimilarAsync(a), s => s["count"]!.GetValue<int>() == 0);
    }

    [Fact]
    public async Task After_an_undo_the_records_are_indexed_and_similar_again()
    {
        var domain = Api.UniqueDomain();
        var a = await client.CaptureIdAsync(new { email = $"ann@{domain}" });
        await client.WaitCheckedAsync(a);
        var b = await client.CaptureIdAsync(new { email = $"ann@{domain}", name = "again" });
        await client.WaitCheckedAsync(b);
        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        await Api.EventuallyAsync(() => client.SimilarAsync(a), s => s["count"]!.GetValue<int>() == 0);

        await client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.OK);

        (await Api.EventuallyAsync(() => client.SimilarAsync(a), s => s["count"]!.GetValue<int>() == 1)).Ids().Should().Equal(b);
        (await Api.EventuallyAsync(() => client.SimilarAsync(b), s => s["count"]!.GetValue<int>() == 1)).Ids().Should().Equal(a);
    }

    [Fact]
    public async Task Undo_restores_both_records_exactly()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A", description = "first", tags = new[] { "x" } });
        var b = await TestRecords.CreateAsync(client, new { name = "B", phone = "+1 415 555 0111", description = "second", city = "Oslo" });
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/notes", new { message = "note on A" }, HttpStatusCode.Created);
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/notes", new { message = "note on B" }, HttpStatusCode.Created);
        var before = await TestRecords.SnapshotAsync(client, [a, b]);
        var logsBefore = await TestRecords.LogsAsync(client, [a, b]);
        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);

        var undone = await client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.OK);

        undone["state"]!.GetValue<string>().Should().Be("undone");
        (await TestRecords.SnapshotAsync(client, [a, b])).Should().BeEquivalentTo(before);
        (await TestRecords.LogsAsync(client, [a, b])).Should().BeEquivalentTo(logsBefore);
        await client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Undo_after_the_survivor_changed_is_a_409_and_force_keeps_the_change()
    {
        var a = await TestRecords.CreateAsync(client, new { name = "A" });
        var b = await TestRecords.CreateAsync(client, new { name = "B", city = "Rome" });
        var merge = await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        await client.SendJsonAsync(HttpMethod.Patch, $"leads/{a}", new { name = "A renamed" }, HttpStatusCode.OK);

        await client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.Conflict);
        var forced = await client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", new { force = true }, HttpStatusCode.OK);

        forced["forced"]!.GetValue<bool>().Should().BeTrue();
        var survivor = await client.GetJsonAsync($"leads/{a}");
        survivor["name"]!.GetValue<string>().Should().Be("A renamed", "changes made since the merge are kept");
        survivor["city"].Should().BeNull("the merged-in city goes back with B");
        (await client.GetJsonAsync($"leads/{b}"))["status"]!.GetValue<string>().Should().Be("active");
        var log = (await client.GetJsonAsync($"leads/{a}/log"))["items"]!.AsArray();
        log[0]!["kind"]!.GetValue<string>().Should().Be("unmerged");
    }

    [Fact]
    public async Task Unknown_merges_are_a_404()
    {
        using var response = await client.GetAsync("merges/01ARZ3NDEKTSV4RRFFQ69G5FAV", TestContext.Current.CancellationToken);
        await response.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        await client.SendJsonAsync(HttpMethod.Post, "merges/not-an-id/undo", null, HttpStatusCode.NotFound);
    }
}
