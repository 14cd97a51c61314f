using Azure.Data.Tables;
using Azure.Storage.Queues;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Tests.Leads;

/// <summary>A few thousand records over teams, salespeople, emails, types and statuses, seeded once for the class.</summary>
public sealed class ListedLeads(SharedAzurite azurite) : IAsyncLifetime
{
    private const int Leads = 2000;
    private static readonly LeadStatus[] Statuses = [LeadStatus.Active, LeadStatus.Active, LeadStatus.Lost, LeadStatus.Won];

    public StorageRequests Requests { get; } = new();
    public List<Lead> Seeded { get; } = [];
    public string[] Teams { get; } = [Ids.New(), Ids.New(), Ids.New()];
    public string[] Users { get; } = [Ids.New(), Ids.New(), Ids.New(), Ids.New(), Ids.New()];
    public string Domain { get; } = TestLeads.UniqueDomain();
    public LeadStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var clients = new StorageClients(
            new TableServiceClient(azurite.ConnectionString, Requests.CountOn(new TableClientOptions(), "table")),
            new QueueServiceClient(azurite.ConnectionString, Requests.CountOn(new QueueClientOptions(), "queue")));
        Store = new LeadStore(clients, new LeadList(clients));
        for (var i = 0; i < Leads; i++)
        {
            var lead = TestLeads.New(email: $"p{i % 300}@{Domain}", teamId: i % 7 == 0 ? null : Teams[i % 3]);
            lead.UserId = Users[i % 5];
            lead.Type = i % 3 == 0 ? LeadType.Opportunity : LeadType.Lead;
            lead.Status = lead.Type == LeadType.Opportunity ? Statuses[i % 4] : Statuses[i % 3];
            Seeded.Add(lead);
        }
        await Parallel.ForEachAsync(Seeded, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (lead, _) => await Store.InsertAsync(lead));
        // A few merged away: they leave every list but the merged one.
        foreach (var lead in Seeded.Where((_, i) => i % 97 == 5))
        {
            var row = (await Store.ReadAsync(lead.Id, ct))!;
            lead.Status = LeadStatus.Merged;
            await Store.UpdateAsync(lead, row, [], ct);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The list projection at a few thousand leads: every filter pages through its records in id
/// order, each once, and one filter with full pages, never an empty page that still has a token,
/// one partition's range query a page (filters combined may answer short: they read a bounded
/// number of rows a page): the storage requests are counted, not timed.
/// </summary>
public sealed class LeadListTests(ListedLeads data) : IClassFixture<ListedLeads>
{
    private const int PageSize = 50;

    private readonly StorageRequests requests = data.Requests;
    private readonly List<Lead> seeded = data.Seeded;
    private readonly string[] teams = data.Teams;
    private readonly string[] users = data.Users;
    private readonly string domain = data.Domain;
    private readonly LeadStore store = data.Store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Filters() => ["team", "user", "email", "status", "type", "merged", "team+status", "user+type+status"];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_filter_pages_through_its_records_in_order_with_full_pages_and_never_an_empty_page_with_a_token(string filter)
    {
        var (query, expected) = filter switch
        {
            "team" => (new LeadQuery(null, null, teams[1], null, null), Live(l => l.TeamId == teams[1])),
            "user" => (new LeadQuery(null, null, null, users[2], null), Live(l => l.UserId == users[2])),
            "email" => (new LeadQuery(null, null, null, null, $"p7@{domain}"), Live(l => l.Email == $"p7@{domain}")),
            "status" => (new LeadQuery(null, LeadStatus.Won, null, null, null), Live(l => l.Status == LeadStatus.Won)),
            "type" => (new LeadQuery(LeadType.Opportunity, null, null, null, null), Live(l => l.Type == LeadType.Opportunity)),
            "merged" => (new LeadQuery(null, LeadStatus.Merged, null, null, null), seeded.Where(l => l.Status == LeadStatus.Merged).ToList()),
            "team+status" => (new LeadQuery(null, LeadStatus.Lost, teams[0], null, null), Live(l => l.TeamId == teams[0] && l.Status == LeadStatus.Lost)),
            _ => (new LeadQuery(LeadType.Opportunity, LeadStatus.Active, null, users[4], null),
                Live(l => l.UserId == users[4] && l.Type == LeadType.Opportunity && l.Status == LeadStatus.Active)),
        };
        var single = !filter.Contains('+', StringComparison.Ordinal);

        var listed = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var before = requests.Total;
            var page = await store.ListAsync(query, PageSize, token, Ct);
            var made = requests.Total - before;
            pages++;
            token = page.ContinuationToken;
            if (token is not null && single)
            {
                page.Items.Should().HaveCount(PageSize, "one filter's page is full unless the list ends");
            }
            if (single)
            {
                made.Should().BeLessThanOrEqualTo(2, "one filter is one range query of one partition a page");
            }
            listed.AddRange(page.Items.Select(l => l.Id));
            pages.Should().BeLessThan(500);
        }
        while (token is not null);

        var ours = expected.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        listed.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);
        // Status and type lists hold other tests' records too; the seeded ones are all there, in order.
        listed.Where(ours.Contains).Should().Equal(expected.Select(l => l.Id).Order(StringComparer.Ordinal));
        if (filter is "team" or "user" or "email" or "team+status" or "user+type+status")
        {
            listed.Should().HaveCount(expected.Count);
        }
        expected.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_record_that_changes_status_and_team_moves_between_lists()
    {
        var (from, to) = (Ids.New(), Ids.New());
        var lead = await store.InsertAsync(TestLeads.New(email: $"mover@{TestLeads.UniqueDomain()}", teamId: from));
        var row = (await store.ReadAsync(lead.Id, Ct))!;
        var moved = row.ToLead();
        moved.Status = LeadStatus.Lost;
        moved.TeamId = to;
        await store.UpdateAsync(moved, row, [], Ct);

        (await AllIdsAsync(new LeadQuery(null, null, from, null, null))).Should().BeEmpty();
        (await AllIdsAsync(new LeadQuery(null, LeadStatus.Lost, to, null, null))).Should().Equal(lead.Id);
        (await AllIdsAsync(new LeadQuery(null, LeadStatus.Active, to, null, null))).Should().BeEmpty();
        var listed = (await store.ListAsync(new LeadQuery(null, null, null, null, lead.Email), PageSize, null, Ct)).Items.Should().ContainSingle().Subject;
        listed.Status.Should().Be(LeadStatus.Lost);
        listed.Version.Should().Be((await store.FindAsync(lead.Id, Ct))!.Version, "a listed item carries the record's version");
    }

    private List<Lead> Live(Func<Lead, bool> where) => seeded.Where(l => l.Status != LeadStatus.Merged && where(l)).ToList();

    private async Task<List<string>> AllIdsAsync(LeadQuery query)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(query, 200, token, Ct);
            ids.AddRange(page.Items.Select(l => l.Id));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return ids;
    }
}
