using System.Net;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Merges;

/// <summary>
/// A merge, an undo or a conversion killed right after each one of its storage writes (through the fault seam,
/// standing for a process that dies there), then retried: the records end fully merged or fully
/// unmerged, and every value of every input record is still readable. A dead merge counts as
/// stale at once here, and no queue is read, so that the test alone decides what runs.
/// </summary>
public sealed class MergeCrashTests() : IsolatedHostTests(settings: new Dictionary<string, string?> { ["Merges:StaleAfter"] = "00:00:00" })
{
    [Fact]
    public async Task A_merge_killed_after_any_of_its_writes_ends_fully_merged_after_a_retry()
    {
        var writes = await CountWritesAsync(async () =>
        {
            var (a, b) = await PairAsync();
            await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        });
        writes.Should().BeGreaterThan(8, "a merge journals, holds, commits, moves logs and writes each record");

        for (var n = 1; n <= writes; n++)
        {
            var (a, b) = await PairAsync();
            Faults.Reset((count, _) => count == n);
            await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.InternalServerError);
            Faults.Reset();
            await ShouldBeReadableAsync(a, b);

            using var retry = await Client.PostAsync("merges", TestRecords.Json(new { leadIds = new[] { a, b } }), TestContext.Current.CancellationToken);

            retry.StatusCode.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.Conflict], "killed after write {0}", n);
            await ShouldBeFullyMergedAsync(a, b, $"killed after write {n}");
        }
    }

    [Fact]
    public async Task An_undo_killed_after_any_of_its_writes_ends_fully_unmerged_after_a_retry()
    {
        var writes = 0;
        {
            var (a, b) = await PairAsync();
            var merge = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
            writes = await CountWritesAsync(() => Client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.OK));
        }
        writes.Should().BeGreaterThan(6, "an undo holds, commits, moves logs back and writes each record");

        for (var n = 1; n <= writes; n++)
        {
            var (a, b) = await PairAsync();
            var before = await TestRecords.SnapshotAsync(Client, [a, b]);
            var logs = await TestRecords.LogsAsync(Client, [a, b]);
            var merge = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
            Faults.Reset((count, _) => count == n);
            await Client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.InternalServerError);
            Faults.Reset();
            await ShouldBeReadableAsync(a, b);

            using var retry = await Client.PostAsync($"merges/{merge["mergeId"]}/undo", TestRecords.Json(new { }), TestContext.Current.CancellationToken);

            retry.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Conflict], "killed after write {0}", n);
            (await TestRecords.SnapshotAsync(Client, [a, b])).Should().BeEquivalentTo(before, $"killed after write {n}");
            (await TestRecords.LogsAsync(Client, [a, b])).Should().BeEquivalentTo(logs, $"killed after write {n}");
            (await Client.GetJsonAsync($"merges/{merge["mergeId"]}"))["state"]!.GetValue<string>().Should().Be("undone");
        }
    }

    [Fact]
    public async Task A_conversion_killed_after_any_of_its_writes_ends_fully_converted_with_no_duplicate_customer()
    {
        var writes = await CountWritesAsync(async () =>
        {
            var id = await ConvertibleAsync("count");
            await Client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.OK);
        });
        writes.Should().BeGreaterThanOrEqualTo(4, "an intent, two customers and the record");

        for (var n = 1; n <= writes; n++)
        {
            var company = $"Crash Co {n} {Guid.NewGuid():N}";
            var id = await ConvertibleAsync(company);
            Faults.Reset((count, _) => count == n);
            await Client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.InternalServerError);
            Faults.Reset();

            using var retry = await Client.PostAsync($"leads/{id}/convert", TestRecords.Json(new { action = "convert", customer = new { mode = "create" } }), TestContext.Current.CancellationToken);

            retry.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Conflict], "killed after write {0}", n);
            var lead = await Client.GetJsonAsync($"leads/{id}");
            lead["type"]!.GetValue<string>().Should().Be("opportunity", $"killed after write {n}");
            var customers = await AllCustomersAsync();
            customers.Count(c => c["name"]!.GetValue<string>() == company).Should().Be(1, $"one company, killed after write {n}");
            var people = customers.Where(c => c["companyId"]?.GetValue<string>() is { } companyId
                && customers.Any(k => k["id"]!.GetValue<string>() == companyId && k["name"]!.GetValue<string>() == company)).ToList();
            people.Should().ContainSingle($"one person, killed after write {n}");
            lead["customerId"]!.GetValue<string>().Should().Be(people[0]["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_merge_then_convert_killed_after_any_of_its_writes_ends_fully_converted_after_a_retry()
    {
        var writes = await CountWritesAsync(async () =>
        {
            var (first, later) = await DuplicatePairAsync("count");
            await Client.SendJsonAsync(HttpMethod.Post, $"leads/{later}/convert", new { action = "merge", mergeWith = new[] { first } }, HttpStatusCode.OK);
        });
        writes.Should().BeGreaterThan(10, "a mark, a whole merge, an intent, two customers and the record");

        for (var n = 1; n <= writes; n++)
        {
            var company = $"Merge Crash Co {n} {Guid.NewGuid():N}";
            var (first, later) = await DuplicatePairAsync(company);
            Faults.Reset((count, _) => count == n);
            await Client.SendJsonAsync(HttpMethod.Post, $"leads/{later}/convert", new { action = "merge", mergeWith = new[] { first } }, HttpStatusCode.InternalServerError);
            Faults.Reset();

            using var retry = await Client.PostAsync($"leads/{later}/convert", TestRecords.Json(new { action = "merge", mergeWith = new[] { first } }), TestContext.Current.CancellationToken);

            retry.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Conflict], "killed after write {0}", n);
            var survivor = await Client.GetJsonAsync($"leads/{first}");
            survivor["type"]!.GetValue<string>().Should().Be("opportunity", $"killed after write {n}");
            survivor["status"]!.GetValue<string>().Should().Be("active", $"killed after write {n}");
            survivor["convertedAt"]!.GetValue<string>().Should().NotBeNullOrEmpty($"killed after write {n}");
            (await Client.GetJsonAsync($"leads/{later}"))["mergedInto"]!.GetValue<string>().Should().Be(first, $"killed after write {n}");
            (await AllCustomersAsync()).Count(c => c["name"]!.GetValue<string>() == company).Should().Be(1, $"one company, killed after write {n}");
            survivor["customerId"]!.GetValue<string>().Should().NotBeNullOrEmpty($"killed after write {n}");
        }
    }

    private async Task<(string First, string Later)> DuplicatePairAsync(string company)
    {
        var email = $"dup@{Api.UniqueDomain()}";
        var first = await TestRecords.CreateAsync(Client, new { name = "First", contactName = "Fay First", companyName = company, email });
        var later = await TestRecords.CreateAsync(Client, new { name = "Later", email });
        return (first, later);
    }

    private async Task<string> ConvertibleAsync(string company) =>
        await TestRecords.CreateAsync(Client, new { name = "Convert me", contactName = "Cora Crash", companyName = company, email = $"cora@{Api.UniqueDomain()}" });

    private async Task<List<JsonObject>> AllCustomersAsync()
    {
        var all = new List<JsonObject>();
        string? token = null;
        do
        {
            var page = await Client.GetJsonAsync("customers?pageSize=200" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"));
            all.AddRange(page["items"]!.AsArray().Select(c => c!.AsObject()));
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return all;
    }

    private async Task<int> CountWritesAsync(Func<Task> operation)
    {
        Faults.Reset();
        await operation();
        var writes = Faults.Writes;
        Faults.Reset();
        return writes;
    }

    /// <summary>A (first) with a note, B with a phone, an address and a note.</summary>
    private async Task<(string A, string B)> PairAsync()
    {
        var a = await TestRecords.CreateAsync(Client, new { name = "A", description = "from A" });
        var b = await TestRecords.CreateAsync(Client, new { name = "B", phone = "+1 415 555 0142", city = "Oslo", description = "from B" });
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/notes", new { message = "note on A" }, HttpStatusCode.Created);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/notes", new { message = "note on B" }, HttpStatusCode.Created);
        return (a, b);
    }

    /// <summary>Whatever state the kill left, both records answer and B's values are there to read.</summary>
    private async Task ShouldBeReadableAsync(string a, string b)
    {
        var survivor = await Client.GetJsonAsync($"leads/{a}");
        var other = await Client.GetJsonAsync($"leads/{b}");
        other["phone"]!.GetValue<string>().Should().Be("+1 415 555 0142");
        new[] { survivor["description"]!.GetValue<string>(), other["description"]!.GetValue<string>() }
            .Should().Contain(d => d.Contains("from B", StringComparison.Ordinal));
        var notes = (await Client.GetJsonAsync($"leads/{a}/log?pageSize=200"))["items"]!.AsArray()
            .Concat((await Client.GetJsonAsync($"leads/{b}/log?pageSize=200"))["items"]!.AsArray())
            .Where(e => e!["kind"]!.GetValue<string>() == "note")
            .Select(e => e!["message"]!.GetValue<string>());
        notes.Should().Contain(["note on A", "note on B"]);
    }

    private async Task ShouldBeFullyMergedAsync(string a, string b, string because)
    {
        var survivor = await Client.GetJsonAsync($"leads/{a}");
        survivor["status"]!.GetValue<string>().Should().Be("active", because);
        survivor["phone"]!.GetValue<string>().Should().Be("+1 415 555 0142", because);
        survivor["description"]!.GetValue<string>().Should().Be("from A\n\nfrom B", because);
        var tombstone = await Client.GetJsonAsync($"leads/{b}");
        tombstone["status"]!.GetValue<string>().Should().Be("merged", because);
        tombstone["mergedInto"]!.GetValue<string>().Should().Be(a, because);

        var log = (await Client.GetJsonAsync($"leads/{a}/log?pageSize=200"))["items"]!.AsArray().Select(e => e!.AsObject()).ToList();
        log.Count(e => Kind(e) == "merged").Should().Be(1, because);
        log.Where(e => Kind(e) == "note").Select(e => e["message"]!.GetValue<string>()).Should().BeEquivalentTo(["note on A", "note on B"], because);
        log.Count(e => Kind(e) == "created").Should().Be(2, because);
        var left = (await Client.GetJsonAsync($"leads/{b}/log?pageSize=200"))["items"]!.AsArray().Select(e => Kind(e!.AsObject()));
        left.Should().Equal(["merged-into"], because);
        (await Client.GetJsonAsync("leads?status=merged&pageSize=200")).Ids().Should().Contain(b);
    }

    private static string Kind(JsonObject entry) => entry["kind"]!.GetValue<string>();
}
