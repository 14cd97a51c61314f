using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Tests.Features.Imports;

/// <summary>
/// Bulk import (SPEC 4.6) through the local host: CSV and JSON lines, row errors with their lines,
/// progress counts, a re-send that stores nothing, and a chunk killed after any of its writes
/// that still ends with every good row stored once. A host of its own: its queues and faults are
/// the test's.
/// </summary>
public sealed class ImportTests() : IsolatedHostTests(queues: true)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_csv_of_1000_rows_with_10_bad_ones_stores_990_reports_the_10_with_their_lines_and_a_re_send_stores_nothing()
    {
        var domain = Api.UniqueDomain();
        var (csv, badLines) = Csv(1000, domain);

        var started = await PostAsync(csv, "text/csv", HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();
        var done = await WaitDoneAsync(id);

        var counts = done["counts"]!;
        counts["rows"]!.GetValue<int>().Should().Be(1000);
        counts["stored"]!.GetValue<int>().Should().Be(990);
        counts["failed"]!.GetValue<int>().Should().Be(10);
        counts["checked"]!.GetValue<int>().Should().Be(990);
        counts["flagged"]!.GetValue<int>().Should().Be(20, "two groups of ten rows share an email");
        done["finishedAt"].Should().NotBeNull();
        var errors = done["errors"]!.AsArray();
        errors.Select(e => e!["line"]!.GetValue<int>()).Should().Equal(badLines);
        errors.Should().AllSatisfy(e => e!["errors"]!.AsObject().Count.Should().BePositive());
        (await Host.CountStoredLeadsAsync()).Should().Be(990);

        var again = await PostAsync(csv, "text/csv", HttpStatusCode.Accepted);
        again["id"]!.GetValue<string>().Should().Be(id, "the same file is the same import");
        (await Host.CountStoredLeadsAsync()).Should().Be(990, "a re-send stores nothing");

        // Stored like any new record: listed, with its imported entry, and flagged where similar
        // (the twenty share the domain too, but the two groups are other people at other companies: 9 similar each).
        var grouped = (await Client.GetJsonAsync($"leads?email={Uri.EscapeDataString($"group0@{domain}")}"))["items"]!.AsArray();
        grouped.Should().HaveCount(10);
        foreach (var item in grouped)
        {
            var lead = await Client.GetJsonAsync($"leads/{item!["id"]!.GetValue<string>()}");
            lead["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(9);
        }
        var log = (await Client.GetJsonAsync($"leads/{grouped[0]!["id"]!.GetValue<string>()}/log"))["items"]!.AsArray();
        log.Should().Contain(e => e!["kind"]!.GetValue<string>() == "imported");
    }

    [Fact]
    public async Task Json_lines_report_a_malformed_line_and_a_refused_row_by_line_and_store_the_others()
    {
        var domain = Api.UniqueDomain();
        var lines = new[]
        {
            $$"""{"name":"One","email":"one@{{domain}}","tags":["a","b"],"priority":2}""",
            "",
            """{"name":"Broken", "email":""",
            $$"""{"name":"Twice","name":"again","email":"twice@{{domain}}"}""",
            $$"""{"name":"Bad email","email":"not an email"}""",
            $$"""{"name":"Four","email":"four@{{domain}}","expectedRevenue":1200.5}""",
        };

        var started = await PostAsync(string.Join("\n", lines) + "\n", "application/x-ndjson", HttpStatusCode.Accepted);
        var done = await WaitDoneAsync(started["id"]!.GetValue<string>());

        done["counts"]!["stored"]!.GetValue<int>().Should().Be(2);
        done["counts"]!["failed"]!.GetValue<int>().Should().Be(3);
        done["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<int>()).Should().Equal(3, 4, 5);
        done["errors"]![2]!["errors"]!.AsObject().Should().ContainKey("email");
        var one = (await Client.GetJsonAsync($"leads?email={Uri.EscapeDataString($"one@{domain}")}"))["items"]![0]!;
        one["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("a", "b");
        one["priority"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_other_content_is_the_same_import()
    {
        var domain = Api.UniqueDomain();
        var first = await PostAsync($"name,email\nAnn,ann@{domain}\n", "text/csv", HttpStatusCode.Accepted, key: "import-key-1");
        var second = await PostAsync($"name,email\nBob,bob@{domain}\n", "text/csv", HttpStatusCode.Accepted, key: "import-key-1");

        second["id"]!.GetValue<string>().Should().Be(first["id"]!.GetValue<string>());
        await WaitDoneAsync(first["id"]!.GetValue<string>());
        (await Host.CountStoredLeadsAsync($"bob@{domain}")).Should().Be(0);
        (await Host.CountStoredLeadsAsync($"ann@{domain}")).Should().Be(1);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_refused_whole_and_stores_nothing()
    {
        var unknown = await PostAsync("name,email,shoeSize\nAnn,ann@x.test,42\n", "text/csv", HttpStatusCode.BadRequest);
        unknown["errors"]!["header"]!.AsArray().Should().ContainSingle(m => m!.GetValue<string>().Contains("shoeSize"));
        await PostAsync("name,email\n", "text/csv", HttpStatusCode.Accepted);
        await PostAsync("", "text/csv", HttpStatusCode.BadRequest);
        await PostAsync("name,email\nAnn,ann@x.test\n", "application/json", HttpStatusCode.UnsupportedMediaType);
        var tooMany = new StringBuilder("email\n");
        for (var i = 0; i <= 10_000; i++)
        {
            tooMany.Append('p').Append(i).Append("@x.test\n");
        }
        await PostAsync(tooMany.ToString(), "text/csv", HttpStatusCode.BadRequest);
        using var huge = new HttpRequestMessage(HttpMethod.Post, "imports") { Content = new ByteArrayContent(new byte[10 * 1024 * 1024 + 1]) };
        huge.Content.Headers.ContentType = new("text/csv");
        using var answer = await Client.SendAsync(huge, Ct);
        answer.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await Host.CountStoredLeadsAsync()).Should().Be(0);
        using var missing = await Client.GetAsync($"imports/{LeadFunctions.Domain.Ids.New()}", Ct);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("import row", 1)]
    [InlineData("import row", 37)]
    [InlineData("import check", 60)]
    [InlineData("import chunk done", 2)]
    public async Task A_chunk_killed_after_a_write_is_done_again_and_every_good_row_is_stored_once(string step, int nth)
    {
        var seen = 0;
        Faults.Reset((_, name) => name == step && Interlocked.Increment(ref seen) == nth);
        var domain = Api.UniqueDomain();
        var (csv, bad) = Csv(150, domain);

        var started = await PostAsync(csv, "text/csv", HttpStatusCode.Accepted);
        var done = await WaitDoneAsync(started["id"]!.GetValue<string>());

        seen.Should().BeGreaterThanOrEqualTo(nth, "the fault was injected");
        bad.Should().ContainSingle();
        done["counts"]!["stored"]!.GetValue<int>().Should().Be(149);
        done["counts"]!["checked"]!.GetValue<int>().Should().Be(149);
        done["counts"]!["failed"]!.GetValue<int>().Should().Be(1);
        (await Host.CountStoredLeadsAsync()).Should().Be(149, "each good row once, however often its chunk ran");
    }

    [Theory]
    [InlineData("import row", 5)]
    [InlineData("import check", 40)]
    [InlineData("ingest:checked", 1)]
    [InlineData("ingest:checked", 25)]
    [InlineData("import chunk done", 1)]
    public async Task A_chunk_killed_at_any_step_leaves_every_good_row_listed_and_found_by_email(string step, int nth)
    {
        // "ingest:checked" is inside a row's check: its record is written done, not listed yet.
        var seen = 0;
        bool Dies(string name) => name == step && Interlocked.Increment(ref seen) == nth;
        Faults.Reset((_, name) => Dies(name));
        Faults.Hold = name => Dies(name) ? Task.FromException(new InjectedFaultException(name)) : Task.CompletedTask;
        var domain = Api.UniqueDomain();
        var (csv, _) = Csv(150, domain);
        var emails = csv.Split('\n').Skip(1).Where(l => l.Length > 0 && !l.StartsWith("Bad", StringComparison.Ordinal))
            .Select(l => l.Split(',')[1]).ToList();

        var started = await PostAsync(csv, "text/csv", HttpStatusCode.Accepted);
        var done = await WaitDoneAsync(started["id"]!.GetValue<string>());

        seen.Should().BeGreaterThanOrEqualTo(nth, "the fault was injected");
        done["counts"]!["stored"]!.GetValue<int>().Should().Be(149);
        var missing = new List<string>();
        foreach (var email in emails.Distinct())
        {
            var listed = await Client.GetJsonAsync($"leads?email={Uri.EscapeDataString(email)}");
            var expected = emails.Count(e => e == email);
            if (listed["items"]!.AsArray().Count != expected)
            {
                missing.Add($"{email}: {listed["items"]!.AsArray().Count} of {expected} listed");
            }
        }
        missing.Should().BeEmpty("a row the import stored and checked is listed, whatever step its chunk died at");
    }

    /// <summary>Rows with unique emails on their own domains, two groups of ten sharing an email, and a bad row every hundred.</summary>
    private static (string Csv, List<int> BadLines) Csv(int rows, string domain)
    {
        var text = new StringBuilder("name,email,companyName,tags,priority\n");
        var bad = new List<int>();
        for (var i = 0; i < rows; i++)
        {
            // Line 1 is the header.
            var line = i + 2;
            var email = i < 20 ? $"group{i / 10}@{domain}" : $"p{i}@{Api.UniqueDomain()}";
            if (i % 100 != 50)
            {
                text.Append($"Person {i},{email},\"Company {i}, Ltd\",vip;csv,{i % 4}\n");
                continue;
            }
            bad.Add(line);
            // An invalid email, or a priority that is not a number.
            text.Append(i / 100 % 2 == 0 ? $"Bad {i},not-an-email,,,\n" : $"Bad {i},{email},\"Acme, Inc\",x;y,high\n");
        }
        return (text.ToString(), bad);
    }

    private async Task<JsonObject> PostAsync(string body, string mediaType, HttpStatusCode expected, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "imports") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        using var response = await Client.SendAsync(request, Ct);
        await response.ShouldHaveStatusAsync(expected);
        if (expected == HttpStatusCode.Accepted)
        {
            response.Headers.Location!.ToString().Should().StartWith("/api/imports/");
        }
        return await response.JsonAsync();
    }

    private async Task<JsonObject> WaitDoneAsync(string id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var import = await Client.GetJsonAsync($"imports/{id}");
            if (import["status"]!.GetValue<string>() == "done")
            {
                return import;
            }
            DateTime.UtcNow.Should().BeBefore(deadline, $"the import should finish: {import["counts"]!.ToJsonString()}");
            await Task.Delay(200, Ct);
        }
    }
}
