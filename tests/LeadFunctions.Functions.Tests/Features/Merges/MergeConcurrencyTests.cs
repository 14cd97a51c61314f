using System.Net;
using System.Text.Json.Nodes;
using LeadFunctions.Functions.Features.Merges;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Merges;

/// <summary>
/// Merges and undos meeting other work at their most delicate moments, placed there through the
/// fault seam (which here runs the other work instead of failing). A host of its own, so that the
/// seam touches no other test.
/// </summary>
public sealed class MergeConcurrencyTests() : IsolatedHostTests()
{
    [Fact]
    public async Task Merging_again_after_an_undo_keeps_every_history_entry()
    {
        var a = await TestRecords.CreateAsync(Client, new { name = "A" });
        var b = await TestRecords.CreateAsync(Client, new { name = "B", city = "Oslo" });
        var first = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{first["mergeId"]}/undo", null, HttpStatusCode.OK);
        var ofA = await LogAsync(a);
        var ofB = await LogAsync(b);

        var second = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);

        var merged = await LogAsync(a);
        merged.Should().HaveCount(ofA.Count + ofB.Count + 1, "A keeps its own entries, gains B's and one new merged entry");
        merged.Count(e => e["kind"]!.GetValue<string>() == "merged").Should().Be(2);
        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{second["mergeId"]}/undo", null, HttpStatusCode.OK);
        (await LogAsync(a)).Should().HaveCount(ofA.Count + 2, "the second merge and its undo leave their entries as history, and B's entries go home");
        (await LogAsync(b)).Select(e => e["id"]!.GetValue<string>()).Should().Contain(ofB.Select(e => e["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("undo pending")]
    [InlineData("hold")]
    public async Task A_resolver_running_while_an_undo_starts_does_not_undo_half_of_it(string step)
    {
        var a = await TestRecords.CreateAsync(Client, new { name = "A" });
        var b = await TestRecords.CreateAsync(Client, new { name = "B", city = "Oslo", phone = "+1 415 555 0142" });
        var mergeId = (await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created))["mergeId"]!.GetValue<string>();
        var merges = Host.Services.GetRequiredService<MergeRecovery>();
        // Stands for a PATCH, an ingest message or a GET /merges meeting the undo there.
        Faults.Reset((_, name) =>
        {
            if (name.StartsWith(step, StringComparison.Ordinal))
            {
                merges.ResolveAsync(mergeId, CancellationToken.None, conflictWhenBusy: false).GetAwaiter().GetResult();
            }
            return false;
        });

        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{mergeId}/undo", null, HttpStatusCode.OK);

        Faults.Reset();
        var survivor = await Client.GetJsonAsync($"leads/{a}");
        survivor["city"].Should().BeNull("the undo restores the survivor's own values");
        survivor["phone"].Should().BeNull();
        (await Client.GetJsonAsync($"leads/{b}"))["status"]!.GetValue<string>().Should().Be("active");
    }

    [Theory]
    [InlineData("journal", false)]
    [InlineData("hold of its first record", false)]
    [InlineData("hold of the shared record", true)]
    public async Task A_merge_started_inside_another_over_a_shared_record_never_both_apply(string moment, bool outerWins)
    {
        var a = await TestRecords.CreateAsync(Client, new { name = "A" });
        var b = await TestRecords.CreateAsync(Client, new { name = "B" });
        var c = await TestRecords.CreateAsync(Client, new { name = "C" });
        var step = moment switch { "journal" => "journal", "hold of its first record" => "hold " + a, _ => "hold " + b };
        var started = false;
        HttpStatusCode? inner = null;
        Faults.Reset((_, name) =>
        {
            if (name == step && !started)
            {
                started = true;
                using var answer = Client.PostAsync("merges", TestRecords.Json(new { leadIds = new[] { b, c }, survivorId = c })).GetAwaiter().GetResult();
                inner = answer.StatusCode;
            }
            return false;
        });

        using var outer = await Client.PostAsync("merges", TestRecords.Json(new { leadIds = new[] { a, b } }), TestContext.Current.CancellationToken);
        Faults.Reset();

        new[] { outer.StatusCode, inner }.Should().Equal(outerWins
            ? [HttpStatusCode.Created, HttpStatusCode.Conflict]
            : [HttpStatusCode.Conflict, HttpStatusCode.Created]);
        (await Client.GetJsonAsync($"leads/{b}"))["mergedInto"]!.GetValue<string>().Should().Be(outerWins ? a : c);
        (await Client.GetJsonAsync($"leads/{a}"))["status"]!.GetValue<string>().Should().Be("active");
        (await Client.GetJsonAsync($"leads/{c}"))["status"]!.GetValue<string>().Should().Be("active");
        (await Client.GetJsonAsync($"leads/{(outerWins ? c : a)}/log"))["items"]!.AsArray()
            .Should().NotContain(e => e!["kind"]!.GetValue<string>() == "merged", "the losing merge left no trace");
    }

    [Fact]
    public async Task A_merge_committed_but_not_yet_written_already_shows_whole_in_reads_and_lists()
    {
        var email = $"half@{Api.UniqueDomain()}";
        var a = await TestRecords.CreateAsync(Client, new { name = "A", email });
        var b = await TestRecords.CreateAsync(Client, new { name = "B", email, city = "Oslo" });
        Faults.Reset((_, name) => name == "commit");
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.InternalServerError);
        Faults.Reset();

        (await Client.GetJsonAsync($"leads/{b}"))["status"]!.GetValue<string>().Should().Be("merged");
        (await Client.GetJsonAsync($"leads/{a}"))["city"]!.GetValue<string>().Should().Be("Oslo");
        var listed = (await Client.GetJsonAsync($"leads?email={Uri.EscapeDataString(email)}"))["items"]!.AsArray();
        listed.Select(l => l!["id"]!.GetValue<string>()).Should().Equal(a);
        listed[0]!["city"]!.GetValue<string>().Should().Be("Oslo");
    }

    [Fact]
    public async Task A_note_added_while_a_merge_plans_reaches_the_survivor()
    {
        var a = await TestRecords.CreateAsync(Client, new { name = "A" });
        var b = await TestRecords.CreateAsync(Client, new { name = "B" });
        var added = false;
        Faults.Reset((_, name) =>
        {
            if (name == "journal" && !added)
            {
                added = true;
                Client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/notes", new { message = "late note" }, HttpStatusCode.Created).GetAwaiter().GetResult();
            }
            return false;
        });

        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);

        Faults.Reset();
        (await LogAsync(a)).Should().Contain(e => e["message"]!.GetValue<string>() == "late note");
        (await LogAsync(b)).Should().NotContain(e => e["message"]!.GetValue<string>() == "late note");
    }

    [Fact]
    public async Task A_merge_naming_an_unknown_salesperson_or_outgrowing_the_limits_is_a_400()
    {
        var a = await TestRecords.CreateAsync(Client, new { name = "A", description = new string('a', 15_000) });
        var b = await TestRecords.CreateAsync(Client, new { name = "B", description = new string('b', 15_000) });

        var unknown = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b }, userId = "01ARZ3NDEKTSV4RRFFQ69G5FAV" }, HttpStatusCode.BadRequest);
        var tooLong = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.BadRequest);
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b }, fieldSources = new Dictionary<string, string> { ["description"] = b } }, HttpStatusCode.Created);

        unknown["errors"]!.AsObject().Should().ContainKey("userId");
        tooLong["errors"]!.AsObject().Should().ContainKey("fieldSources");
        await Client.SendJsonAsync(HttpMethod.Patch, $"leads/{a}", new { name = "A2" }, HttpStatusCode.OK);
    }

    private async Task<List<JsonObject>> LogAsync(string id) =>
        (await Client.GetJsonAsync($"leads/{id}/log?pageSize=200"))["items"]!.AsArray().Select(e => e!.AsObject()).ToList();
}
