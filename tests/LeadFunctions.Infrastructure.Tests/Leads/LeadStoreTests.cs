using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Tests.Leads;

/// <summary>Paging of filtered scans: full pages, and every match exactly once, in order.</summary>
public sealed class LeadStoreTests(SharedAzurite azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LeadStore NewStore()
    {
        var clients = azurite.NewClients();
        return new LeadStore(clients, new LeadList(clients));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(200)]
    public async Task A_filtered_scan_with_sparse_matches_returns_full_pages_and_every_match_once_in_order(int pageSize)
    {
        var table = await azurite.NewTableAsync("sparse");
        var expected = new List<string>();
        // 3 partitions of 400 rows; one row in 37 matches, so a match is rare within any page the service reads.
        for (var p = 0; p < 3; p++)
        {
            var partition = $"p{p}";
            var actions = new List<TableTransactionAction>();
            for (var r = 0; r < 400; r++)
            {
                var rowKey = r.ToString("D4");
                var matches = (p * 400 + r) % 37 == 5;
                if (matches)
                {
                    expected.Add($"{partition}/{rowKey}");
                }
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, rowKey) { ["Match"] = matches }));
            }
            foreach (var chunk in actions.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk, Ct);
            }
        }
        var filter = TableClient.CreateQueryFilter($"Match eq {true}");

        var pages = await AllPagesAsync(token => TablePages.ReadAsync(table, filter, pageSize, token, e => $"{e.PartitionKey}/{e.RowKey}", Ct));

        expected.Should().HaveCount(33);
        pages.SelectMany(p => p.Items).Should().Equal(expected);
        pages.SkipLast(1).Should().AllSatisfy(p => p.Items.Should().HaveCount(pageSize));
        pages[^1].Items.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(pageSize);
    }

    [Fact]
    public async Task Listing_one_team_among_many_other_leads_pages_through_all_of_its_leads_and_no_merged_one()
    {
        var store = NewStore();
        var teamId = Ids.New();
        var expected = new List<string>();
        string? mergedId = null;
        for (var i = 0; i < 60; i++)
        {
            var ofTeam = i % 8 == 3;
            var lead = await store.InsertAsync(TestLeads.New(teamId: ofTeam ? teamId : Ids.New()));
            if (ofTeam && i == 35)
            {
                lead.Status = LeadStatus.Merged;
                mergedId = lead.Id;
                await store.UpdateAsync(lead, (await store.ReadAsync(lead.Id, Ct))!, [], Ct);
            }
            else if (ofTeam)
            {
                expected.Add(lead.Id);
            }
        }
        var query = new LeadQuery(null, null, teamId, null, null);

        var pages = await AllPagesAsync(token => store.ListAsync(query, 2, token, Ct));

        expected.Should().HaveCount(7);
        pages.SelectMany(p => p.Items).Select(l => l.Id).Should().Equal(expected);
        pages.SkipLast(1).Should().AllSatisfy(p => p.Items.Should().HaveCount(2));
        var merged = await store.ListAsync(query with { Status = LeadStatus.Merged }, 50, null, Ct);
        merged.Items.Select(l => l.Id).Should().Equal(mergedId);
    }

    [Fact]
    public async Task A_token_from_one_page_fetches_the_next_and_the_last_page_has_none()
    {
        var table = await azurite.NewTableAsync("tokens");
        for (var r = 0; r < 5; r++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{r}"), Ct);
        }

        var first = await TablePages.ReadAsync(table, "PartitionKey eq 'p'", 3, null, e => e.RowKey, Ct);
        var second = await TablePages.ReadAsync(table, "PartitionKey eq 'p'", 3, first.ContinuationToken, e => e.RowKey, Ct);

        first.Items.Should().Equal("r0", "r1", "r2");
        first.ContinuationToken.Should().MatchRegex("^[A-Za-z0-9_-]+$");
        second.Items.Should().Equal("r3", "r4");
        second.ContinuationToken.Should().BeNull();
    }

    [Fact]
    public async Task A_token_made_up_by_a_client_is_refused_before_reaching_storage()
    {
        var table = await azurite.NewTableAsync("forged");

        var page = () => TablePages.ReadAsync(table, "PartitionKey eq 'p'", 3, "bm90IG91cnM", e => e.RowKey, Ct);

        await page.Should().ThrowAsync<InvalidContinuationTokenException>();
    }

    private static async Task<List<Page<T>>> AllPagesAsync<T>(Func<string?, Task<Page<T>>> next)
    {
        var pages = new List<Page<T>>();
        string? token = null;
        do
        {
            var page = await next(token);
            pages.Add(page);
            token = page.ContinuationToken;
            pages.Count.Should().BeLessThan(1000, "paging must end");
        }
        while (token is not null);
        // A scan that ends exactly on a page boundary may hand out one last empty page.
        if (pages.Count > 1 && pages[^1].Items.Count == 0)
        {
            pages.RemoveAt(pages.Count - 1);
        }
        return pages;
    }
}
