using System.Net;
using System.Text;

namespace LeadFunctions.Functions.Tests.Features.Leads;

/// <summary>The record routes of SPEC 5.</summary>
public sealed class LeadsTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task Creating_answers_201_with_the_record_a_location_and_an_etag()
    {
        using var response = await client.PostAsync("leads", Json(new { name = "Deal", email = $"a@{Api.UniqueDomain()}", priority = 2, expectedRevenue = 1200.5 }),
            TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        var lead = await response.JsonAsync();
        var id = lead["id"]!.GetValue<string>();
        response.Headers.Location!.ToString().Should().EndWith($"/api/leads/{id}");
        response.Headers.ETag!.ToString().Should().Be(lead["version"]!.GetValue<string>());
        lead["priority"]!.GetValue<int>().Should().Be(2);
        lead["expectedRevenue"]!.GetValue<decimal>().Should().Be(1200.5m);
        lead["createdAt"]!.GetValue<string>().Should().EndWith("+00:00");
        lead["duplicateCheck"]!["status"]!.GetValue<string>().Should().Be("pending");
        (await client.WaitCheckedAsync(id))["name"]!.GetValue<string>().Should().Be("Deal");
    }

    [Theory]
    [InlineData("leads/01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    [InlineData("leads/not-an-id")]
    [InlineData("leads/a%2Fb")]
    [InlineData("leads/a%23b")]
    [InlineData("leads/01ARZ3NDEKTSV4RRFFQ69G5FAV/similar")]
    [InlineData("leads/01ARZ3NDEKTSV4RRFFQ69G5FAV/log")]
    [InlineData("teams/01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    [InlineData("customers/01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    [InlineData("salespeople/01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    public async Task An_unknown_id_is_a_404_problem(string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Patch_changes_fields_logs_them_and_honours_if_match()
    {
        var created = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Old", email = $"p@{Api.UniqueDomain()}", tags = new[] { "a" } }, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        var staleVersion = created["version"]!.GetValue<string>();
        // The check after creation writes the record (its duplicateCheck): let it land first.
        await client.WaitCheckedAsync(id);

        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"leads/{id}", new { name = "New", tags = (string[]?)null, city = "Lyon" }, HttpStatusCode.OK);
        patched["name"]!.GetValue<string>().Should().Be("New");
        patched["tags"]!.AsArray().Should().BeEmpty();
        patched["city"]!.GetValue<string>().Should().Be("Lyon");
        patched["email"]!.GetValue<string>().Should().Be(created["email"]!.GetValue<string>());

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"leads/{id}") { Content = Json(new { name = "Lost update" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", staleVersion);
        using var refused = await client.SendAsync(stale, TestContext.Current.CancellationToken);
        await refused.ShouldHaveStatusAsync(HttpStatusCode.PreconditionFailed);

        using var fresh = new HttpRequestMessage(HttpMethod.Patch, $"leads/{id}") { Content = Json(new { name = "Newer" }) };
        fresh.Headers.TryAddWithoutValidation("If-Match", patched["version"]!.GetValue<string>());
        using var accepted = await client.SendAsync(fresh, TestContext.Current.CancellationToken);
        await accepted.ShouldHaveStatusAsync(HttpStatusCode.OK);

        var log = await client.GetJsonAsync($"leads/{id}/log");
        log["items"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().StartWith(["updated", "updated"]);
        log["items"]![1]!["data"]!["changes"]!["name"]!["from"]!.GetValue<string>().Should().Be("Old");
    }

    [Theory]
    [InlineData("{\"id\": \"X\"}")]
    [InlineData("{\"status\": \"merged\"}")]
    [InlineData("{\"email\": \"nope\"}")]
    [InlineData("{\"priority\": 9}")]
    [InlineData("{\"teamId\": \"01ARZ3NDEKTSV4RRFFQ69G5FAV\"}")]
    [InlineData("{\"colour\": \"red\"}")]
    [InlineData("not json")]
    public async Task A_bad_patch_is_a_400_and_changes_nothing(string body)
    {
        var created = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Keep", email = $"k@{Api.UniqueDomain()}" }, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();

        using var response = await client.PatchAsync($"leads/{id}", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        var after = await client.GetJsonAsync($"leads/{id}");
        after["name"]!.GetValue<string>().Should().Be("Keep");
        after["status"]!.GetValue<string>().Should().Be("active");
    }

    [Fact]
    public async Task Clearing_a_field_takes_the_record_out_of_that_filter()
    {
        var team = await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Filter" }, HttpStatusCode.Created);
        var teamId = team["id"]!.GetValue<string>();
        var created = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "In team", teamId }, HttpStatusCode.Created);
        (await client.GetJsonAsync($"leads?teamId={teamId}")).Ids().Should().Equal(created["id"]!.GetValue<string>());

        await client.SendJsonAsync(HttpMethod.Patch, $"leads/{created["id"]}", new { teamId = (string?)null }, HttpStatusCode.OK);

        (await client.GetJsonAsync($"leads?teamId={teamId}")).Ids().Should().BeEmpty();
    }

    [Fact]
    public async Task Long_non_ascii_values_changed_both_ways_are_stored_and_logged()
    {
        var before = new string('ж', 15_000);
        var after = new string('ß', 15_000);
        var created = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Big", description = before }, HttpStatusCode.Created);

        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"leads/{created["id"]}", new { description = after }, HttpStatusCode.OK);

        patched["description"]!.GetValue<string>().Should().Be(after);
        var log = await client.GetJsonAsync($"leads/{created["id"]}/log");
        log["items"]![0]!["data"]!["changes"]!["description"]!["from"]!.GetValue<string>().Should().Be(before);
    }

    [Fact]
    public async Task Lose_and_restore_change_the_status_and_log_it()
    {
        var id = (await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "L" }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        var lost = await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/lose", new { reason = "Too expensive" }, HttpStatusCode.OK);
        lost["status"]!.GetValue<string>().Should().Be("lost");
        lost["lostReason"]!.GetValue<string>().Should().Be("Too expensive");
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/lose", null, HttpStatusCode.Conflict);

        var restored = await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/restore", null, HttpStatusCode.OK);
        restored["status"]!.GetValue<string>().Should().Be("active");
        restored["lostReason"].Should().BeNull();
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/restore", null, HttpStatusCode.Conflict);

        var kinds = (await client.GetJsonAsync($"leads/{id}/log"))["items"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>());
        kinds.Should().StartWith(["restored", "lost"]);
    }

    [Fact]
    public async Task Notes_are_logged_newest_first_and_the_log_pages()
    {
        var id = (await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Noted" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        for (var i = 1; i <= 3; i++)
        {
            var note = await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/notes", new { message = $"note {i}" }, HttpStatusCode.Created);
            note["kind"]!.GetValue<string>().Should().Be("note");
        }
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/notes", new { message = "" }, HttpStatusCode.BadRequest);

        var firstPage = await client.GetJsonAsync($"leads/{id}/log?pageSize=2");
        firstPage["items"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).Should().Equal("note 3", "note 2");
        var token = firstPage["continuationToken"]!.GetValue<string>();
        var secondPage = await client.GetJsonAsync($"leads/{id}/log?pageSize=2&continuationToken={Uri.EscapeDataString(token)}");
        secondPage["items"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).Should().StartWith(["note 1"]);
    }

    [Fact]
    public async Task The_list_filters_and_pages_without_losing_or_repeating_records()
    {
        var email = $"list@{Api.UniqueDomain()}";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = $"L{i}", email, description = $"{i}" }, HttpStatusCode.Created))["id"]!.GetValue<string>());
        }
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{ids[4]}/lose", null, HttpStatusCode.OK);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await client.GetJsonAsync($"leads?email={Uri.EscapeDataString(email)}&pageSize=2" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"));
            page["items"]!.AsArray().Count.Should().BeLessThanOrEqualTo(2);
            seen.AddRange(page.Ids());
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        seen.Should().Equal(ids, "records list in creation order");
        (await client.GetJsonAsync($"leads?email={Uri.EscapeDataString(email)}&status=lost")).Ids().Should().Equal(ids[4]);
        (await client.GetJsonAsync($"leads?email={Uri.EscapeDataString(email)}&status=active&type=lead")).Ids().Should().Equal(ids.Take(4));
    }

    [Theory]
    [InlineData("leads?pageSize=0")]
    [InlineData("leads?pageSize=201")]
    [InlineData("leads?pageSize=abc")]
    [InlineData("leads?status=sleeping")]
    [InlineData("leads?type=Lead")]
    [InlineData("leads?teamId=a'%20or%20'1'%20eq%20'1")]
    [InlineData("leads?email=no-email")]
    [InlineData("leads?continuationToken=forged")]
    public async Task Bad_list_parameters_are_a_400(string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Creating_with_unknown_references_or_bad_values_is_a_400_naming_each_field()
    {
        using var response = await client.PostAsync("leads", Json(new
        {
            name = "x", teamId = "01ARZ3NDEKTSV4RRFFQ69G5FAV", userId = "nope", probability = 101, website = "javascript:alert(1)",
        }), TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        (await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["teamId", "userId", "probability", "website"]);
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
