using LeadFunctions.Domain;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Ingest;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.Infrastructure.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>Duplicate detection on ingest, with the services registered as the function app registers them.</summary>
public sealed class IngestProcessorTests(SharedHost shared) : IAsyncDisposable
{
    private readonly ServiceProvider services = Build(shared.Azurite.ConnectionString);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IngestProcessor Processor => services.GetRequiredService<IngestProcessor>();

    private LeadStore Store => services.GetRequiredService<LeadStore>();

    private MatchIndex Index => services.GetRequiredService<MatchIndex>();

    [Fact]
    public async Task A_message_processed_twice_writes_one_duplicate_flagged_entry_and_changes_nothing_more()
    {
        var email = $"ann@{TestLeads.UniqueDomain()}";
        var first = await Store.InsertAsync(TestLeads.New(email));
        var second = await Store.InsertAsync(TestLeads.New(email, name: "second"));
        await CheckAsync(first.Id);
        var message = new CheckMessage(second.Id, Ids.New());

        await Processor.ProcessAsync(message, dequeueCount: 1, Ct);
        var afterOnce = (await Store.ReadAsync(second.Id, Ct))!;
        await Processor.ProcessAsync(message, dequeueCount: 1, Ct);
        var afterTwice = (await Store.ReadAsync(second.Id, Ct))!;

        afterTwice.Version.Should().Be(afterOnce.Version, "the second run changes nothing");
        var lead = afterTwice.ToLead();
        lead.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Done);
        lead.DuplicateCheck.SimilarIds.Should().Equal(first.Id);
        var log = await Store.LogAsync(second.Id, 50, null, Ct);
        log.Items.Select(e => e.Kind).Should().Equal(LogKind.DuplicateFlagged, LogKind.Created);
        log.Items[0].Id.Should().Be(message.CheckId);
    }

    [Fact]
    public async Task A_change_announced_but_not_yet_written_is_awaited_then_taken_as_never_made()
    {
        var lead = await Store.InsertAsync(TestLeads.New($"ann@{TestLeads.UniqueDomain()}"));
        var version = (await Store.ReadAsync(lead.Id, Ct))!.Version;
        var message = new CheckMessage(lead.Id, Ids.New(), BasedOn: version);

        var early = async () => await Processor.ProcessAsync(message, dequeueCount: 1, Ct);
        await early.Should().ThrowAsync<ChangeNotLandedException>();
        (await Store.FindAsync(lead.Id, Ct))!.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Pending, "nothing was checked yet");

        await Processor.ProcessAsync(message, dequeueCount: IngestProcessor.DeliveriesToAwaitChange, Ct);
        (await Store.FindAsync(lead.Id, Ct))!.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Done);
    }

    [Fact]
    public async Task A_change_already_written_is_checked_at_once()
    {
        var lead = await Store.InsertAsync(TestLeads.New($"ann@{TestLeads.UniqueDomain()}"));
        var read = (await Store.ReadAsync(lead.Id, Ct))!;
        var changed = read.ToLead();
        changed.Email = $"bob@{TestLeads.UniqueDomain()}";
        await Store.UpdateAsync(changed, read, [], Ct);

        await Processor.ProcessAsync(new CheckMessage(lead.Id, Ids.New(), BasedOn: read.Version), dequeueCount: 1, Ct);

        (await Store.FindAsync(lead.Id, Ct))!.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Done);
    }

    [Fact]
    public async Task A_neighbour_that_gains_a_similar_record_is_updated_in_place_without_a_check_of_its_own()
    {
        var email = $"ann@{TestLeads.UniqueDomain()}";
        var first = await Store.InsertAsync(TestLeads.New(email));
        await CheckAsync(first.Id);
        var second = await Store.InsertAsync(TestLeads.New(email, name: "second"));
        var queue = services.GetRequiredService<StorageClients>().Ingest;

        await CheckAsync(second.Id);

        var neighbour = (await Store.FindAsync(first.Id, Ct))!;
        neighbour.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Done);
        neighbour.DuplicateCheck.SimilarIds.Should().Equal(second.Id);
        neighbour.DuplicateCheck.SimilarCount.Should().Be(1);
        (await Store.ReadHeadAsync(first.Id, Ct))!.Edges.Select(e => e.Id).Should().Equal(second.Id);
        (await Store.LogAsync(first.Id, 50, null, Ct)).Items.Should().Contain(e => e.Kind == LogKind.DuplicateFlagged);
        // The queue is shared by every test here and nobody consumes it: look through all of it,
        // hiding each message until the look is over (a message that showed again mid-way, on two
        // busy cores, would be read again and again and the look would never end).
        var queued = new List<string>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(2), Ct)).Value;
            if (batch.Length == 0)
            {
                break;
            }
            queued.AddRange(batch.Select(m => m.Body.ToString()));
        }
        queued.Should().NotContain(body => body.Contains(first.Id, StringComparison.Ordinal), "the neighbour is not checked again");
    }

    [Fact]
    public async Task A_new_check_that_finds_nothing_new_writes_no_second_entry()
    {
        var email = $"ann@{TestLeads.UniqueDomain()}";
        var first = await Store.InsertAsync(TestLeads.New(email));
        var second = await Store.InsertAsync(TestLeads.New(email));
        await CheckAsync(first.Id);
        await CheckAsync(second.Id);

        await CheckAsync(second.Id);

        var log = await Store.LogAsync(second.Id, 50, null, Ct);
        log.Items.Count(e => e.Kind == LogKind.DuplicateFlagged).Should().Be(1);
        (await Store.FindAsync(second.Id, Ct))!.DuplicateCheck.SimilarIds.Should().Equal(first.Id);
    }

    [Fact]
    public async Task Both_records_list_each_other_after_their_checks()
    {
        var email = $"ann@{TestLeads.UniqueDomain()}";
        var first = await Store.InsertAsync(TestLeads.New(email));
        var second = await Store.InsertAsync(TestLeads.New(email.ToUpperInvariant()));

        await CheckAsync(first.Id);
        await CheckAsync(second.Id);

        (await EdgesOfAsync(first.Id)).Should().Equal(second.Id);
        (await EdgesOfAsync(second.Id)).Should().Equal(first.Id);
        var edge = (await Store.ReadHeadAsync(second.Id, Ct))!.Edges.Single();
        edge.MatchedOn.Should().Contain(MatchRule.Email);
    }

    [Fact]
    public async Task A_snapshot_message_processed_twice_stores_the_record_once_with_one_created_entry()
    {
        var lead = TestLeads.New($"ann@{TestLeads.UniqueDomain()}", name: "only in the message");
        var message = new CheckMessage(lead.Id, Ids.New(), lead, [TestLeads.Created(lead)]);

        await Processor.ProcessAsync(message, dequeueCount: 1, Ct);
        var afterOnce = (await Store.ReadAsync(lead.Id, Ct))!;
        await Processor.ProcessAsync(message, dequeueCount: 1, Ct);
        var afterTwice = (await Store.ReadAsync(lead.Id, Ct))!;

        afterTwice.Version.Should().Be(afterOnce.Version);
        var stored = afterTwice.ToLead();
        stored.Name.Should().Be("only in the message");
        stored.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Done);
        (await Store.LogAsync(lead.Id, 50, null, Ct)).Items.Select(e => e.Kind).Should().Equal(LogKind.Created);
        (await MembersAsync(new MatchKey(MatchRule.Email, lead.Email!))).Should().Equal(lead.Id);
    }

    [Fact]
    public async Task A_message_for_a_missing_record_without_a_snapshot_changes_nothing()
    {
        var id = Ids.New();

        await Processor.ProcessAsync(new CheckMessage(id, Ids.New()), dequeueCount: 1, Ct);

        (await Store.ReadAsync(id, Ct)).Should().BeNull();
        var clients = services.GetRequiredService<StorageClients>();
        var rows = await clients.Leads.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == id, cancellationToken: Ct).ToListAsync(Ct);
        rows.Should().BeEmpty();
    }

    [Fact]
    public async Task A_merged_record_leaves_the_index_and_its_neighbours_similar_lists_after_a_check()
    {
        var domain = TestLeads.UniqueDomain();
        var email = $"ann@{domain}";
        var merged = await Store.InsertAsync(TestLeads.New(email, name: "to merge"));
        var survivor = await Store.InsertAsync(TestLeads.New(email, name: "survivor"));
        var other = await Store.InsertAsync(TestLeads.New(email, name: "other"));
        foreach (var id in new[] { merged.Id, survivor.Id, other.Id })
        {
            await CheckAsync(id);
        }
        (await EdgesOfAsync(survivor.Id)).Should().BeEquivalentTo([merged.Id, other.Id]);
        (await MembersAsync(new MatchKey(MatchRule.Email, email))).Should().Contain(merged.Id);

        var tombstone = (await Store.FindAsync(merged.Id, Ct))!;
        tombstone.Status = LeadStatus.Merged;
        tombstone.MergedInto = survivor.Id;
        await Store.UpdateAsync(tombstone, (await Store.ReadAsync(tombstone.Id, Ct))!, [], Ct);
        await CheckAsync(merged.Id);

        (await MembersAsync(new MatchKey(MatchRule.Email, email))).Should().BeEquivalentTo([survivor.Id, other.Id]);
        (await MembersAsync(new MatchKey(MatchRule.Domain, domain))).Should().BeEquivalentTo([survivor.Id, other.Id]);
        (await EdgesOfAsync(survivor.Id)).Should().Equal(other.Id);
        (await EdgesOfAsync(other.Id)).Should().Equal(survivor.Id);
        (await EdgesOfAsync(merged.Id)).Should().BeEmpty();
        var head = (await Store.ReadHeadAsync(merged.Id, Ct))!;
        head.Row.IndexedKeys.Should().BeEmpty();
        head.Lead.Status.Should().Be(LeadStatus.Merged);
        head.Lead.DuplicateCheck.SimilarIds.Should().BeEmpty();
    }

    [Fact]
    public async Task A_record_checked_after_a_neighbour_was_merged_does_not_list_the_tombstone()
    {
        var email = $"ann@{TestLeads.UniqueDomain()}";
        var merged = await Store.InsertAsync(TestLeads.New(email));
        var survivor = await Store.InsertAsync(TestLeads.New(email));
        await CheckAsync(merged.Id);
        var tombstone = (await Store.FindAsync(merged.Id, Ct))!;
        tombstone.Status = LeadStatus.Merged;
        tombstone.MergedInto = survivor.Id;
        await Store.UpdateAsync(tombstone, (await Store.ReadAsync(tombstone.Id, Ct))!, [], Ct);

        await CheckAsync(survivor.Id);

        (await EdgesOfAsync(survivor.Id)).Should().BeEmpty();
        (await Store.FindAsync(survivor.Id, Ct))!.DuplicateCheck.SimilarIds.Should().BeEmpty();
    }

    public async ValueTask DisposeAsync() => await services.DisposeAsync();

    private async Task CheckAsync(string id) => await Processor.ProcessAsync(new CheckMessage(id, Ids.New()), dequeueCount: 1, Ct);

    private async Task<IReadOnlyList<string>> EdgesOfAsync(string id) =>
        (await Store.ReadHeadAsync(id, Ct))!.Edges.Select(e => e.Id).Order(StringComparer.Ordinal).ToList();

    private Task<IReadOnlyList<string>> MembersAsync(MatchKey key) => Index.MembersAsync(MatchIndex.PartitionOf(key), 100, Ct);

    private static ServiceProvider Build(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [LeadFunctions.Functions.ServiceCollectionExtensions.StorageSetting] = connectionString })
            .Build();
        return new ServiceCollection()
            .AddLogging()
            .AddLeadFunctions(configuration)
            .BuildServiceProvider();
    }
}
