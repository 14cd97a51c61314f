using System.Net;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Leads;

/// <summary>
/// A list page reads a bounded number of rows (Leads:ListPageReadLimit, 10 here, 1,000 by
/// default): filters combined that rarely match answer short, even empty, with a token, instead of
/// scanning the whole partition in one request, and following the tokens finds every match once,
/// in order. One filter alone still gives full pages, never an empty one with a token. The storage
/// requests each page makes are counted, not timed.
/// </summary>
public sealed class ListReadLimitTests() : IsolatedHostTests(settings: new Dictionary<string, string?> { ["Leads:ListPageReadLimit"] = "10" })
{
    /// <summary>
    /// The page's one range query, and the caller's read of the salespeople: a deactivated person is
    /// refused at their next request (SPEC 10), so who the caller is is never cached.
    /// </summary>
    private const long PageRequests = 2;

    private const int Limit = 10;
    private const int Rows = 45;

    private sealed record ListPage(List<string> Ids, string? Token, long Requests);

    [Fact]
    public async Task Combined_filters_over_many_rows_that_do_not_match_answer_within_the_limit_and_the_tokens_find_every_match_once()
    {
        var (team, ids) = await TeamWithRecordsAsync();
        // By id, the order the list keeps: the first page's ten rows hold no match.
        var lost = new[] { 12, 13, 31, Rows - 1 }.Select(i => ids[i]).ToList();
        foreach (var id in lost)
        {
            await Client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/lose", new { reason = "No budget" }, HttpStatusCode.OK);
        }

        var pages = await ReadAllAsync($"leads?teamId={team}&status=lost&pageSize=50");

        pages[0].Ids.Should().BeEmpty("the page read its ten rows and none of them matched");
        pages[0].Token.Should().NotBeNull("the list goes on after the rows the page read");
        pages.Should().OnlyContain(p => p.Requests == PageRequests, "a page reads at most ten rows: one storage request, besides the caller's");
        pages.Should().HaveCountLessThanOrEqualTo(Rows / Limit + 2);
        pages.SelectMany(p => p.Ids).Should().Equal(lost, "every match comes once, in id order");

        var active = await ReadAllAsync($"leads?teamId={team}&status=active&type=opportunity&pageSize=7");
        active.Should().OnlyContain(p => p.Requests == PageRequests && p.Ids.Count <= 7);
        active.SelectMany(p => p.Ids).Should().Equal(ids.Except(lost), "pages short of the limit or of the page size, together, are the whole list");
    }

    [Fact]
    public async Task One_filter_alone_gives_full_pages_whatever_the_limit()
    {
        var (team, ids) = await TeamWithRecordsAsync();

        var pages = await ReadAllAsync($"leads?teamId={team}&pageSize=20");

        pages.Select(p => p.Ids.Count).Should().Equal(20, 20, 5);
        pages.Where(p => p.Token is not null).Should().OnlyContain(p => p.Ids.Count == 20, "a page is full unless the list ends");
        pages.Should().OnlyContain(p => p.Requests == PageRequests, "one range query of one partition a page, besides the caller's read");
        pages.SelectMany(p => p.Ids).Should().Equal(ids);
    }

    /// <summary>A team and its records (active opportunities, no leads setting needed), their ids in list order.</summary>
    private async Task<(string Team, List<string> Ids)> TeamWithRecordsAsync()
    {
        var team = (await Client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Sparse" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var ids = new List<string>();
        for (var i = 0; i < Rows; i++)
        {
            var created = await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = $"Row {i}", type = "opportunity", teamId = team }, HttpStatusCode.Created);
            ids.Add(created["id"]!.GetValue<string>());
        }
        ids.Sort(StringComparer.Ordinal);
        return (team, ids);
    }

    private async Task<List<ListPage>> ReadAllAsync(string route)
    {
        var requests = Host.Services.GetRequiredService<StorageRequests>();
        var pages = new List<ListPage>();
        string? token = null;
        do
        {
            var before = requests.ByFunction().GetValueOrDefault("ListLeads");
            var page = await Client.GetJsonAsync(route + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"));
            var made = requests.ByFunction().GetValueOrDefault("ListLeads") - before;
            token = page["continuationToken"]?.GetValue<string>();
            pages.Add(new ListPage([.. page.Ids()], token, made));
            pages.Should().HaveCountLessThan(100, "the tokens lead somewhere");
        }
        while (token is not null);
        return pages;
    }
}
