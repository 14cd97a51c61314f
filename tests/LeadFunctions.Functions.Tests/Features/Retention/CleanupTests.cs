using System.Net;
using Azure.Data.Tables;
using LeadFunctions.Functions.Features.Retention;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Retention;

/// <summary>
/// The clean-up of SPEC 4.7 against Azurite, on a host whose windows are a second long (and whose
/// timer never fires on its own, so that each test runs the pass it looks at): expired capture
/// rows, sent events and the working rows of finished merges go; live claims, pending events and
/// everything an applied merge needs for its undo stay; a pass killed mid-way is finished by the next.
/// </summary>
public sealed class CleanupTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Retention:Schedule"] = "0 0 0 1 1 *",
    ["Retention:SentEvents"] = "00:00:01",
    ["Retention:FinishedMerges"] = "00:00:01",
    ["Retention:WebhookDeliveries"] = "00:00:01",
})
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient Table(string name) =>
        new(Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString, name);

    private CleanupService Cleanup => Host.Services.GetRequiredService<CleanupService>();

    private async Task<List<TableEntity>> RowsAsync(string table, string partitionKey) =>
        await Table(table).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: Ct).ToListAsync(Ct);

    private async Task<bool> ExistsAsync(string table, string partitionKey, string rowKey) =>
        (await Table(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: Ct)).HasValue;

    /// <summary>Rows as an earlier day left them: a rate window ten minutes back, claims two days old.</summary>
    private async Task<(string OldRate, string LiveRate, string OldClaims)> SeedCaptureRowsAsync()
    {
        var capture = Table(StorageNames.CaptureTable);
        await capture.CreateIfNotExistsAsync(Ct);
        var window = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        var oldRate = CaptureRateLimit.PartitionOf(window - 10);
        var liveRate = CaptureRateLimit.PartitionOf(window);
        await capture.UpsertEntityAsync(new TableEntity(oldRate, "old-address") { ["Count"] = 3 }, cancellationToken: Ct);
        await capture.UpsertEntityAsync(new TableEntity(liveRate, "live-address") { ["Count"] = 1 }, cancellationToken: Ct);
        var oldClaims = CaptureGuard.ClaimPrefix + Guid.NewGuid().ToString("N");
        var twoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);
        await capture.UpsertEntityAsync(new TableEntity(oldClaims, CaptureGuard.IdempotencyPrefix + "old-key") { [CaptureGuard.LeadIdColumn] = "x", [CaptureGuard.AtColumn] = twoDaysAgo }, cancellationToken: Ct);
        await capture.UpsertEntityAsync(new TableEntity(oldClaims, CaptureGuard.ContentPrefix + "old-content") { [CaptureGuard.LeadIdColumn] = "x", [CaptureGuard.AtColumn] = twoDaysAgo }, cancellationToken: Ct);
        return (oldRate, liveRate, oldClaims);
    }

    [Fact]
    public async Task Expired_rows_go_and_what_is_live_or_needed_for_undo_stays()
    {
        var (oldRate, liveRate, oldClaims) = await SeedCaptureRowsAsync();
        var email = $"keep@{Api.UniqueDomain()}";
        using (var first = await Client.CaptureAsync(new { email }, idempotencyKey: "live-key"))
        {
            await first.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }
        var domain = Api.UniqueDomain();
        var a = await TestRecords.CreateAsync(Client, new { name = "A", email = $"a@{domain}" });
        var b = await TestRecords.CreateAsync(Client, new { name = "B", email = $"b@{domain}" });
        var c = await TestRecords.CreateAsync(Client, new { name = "C", email = $"c@{domain}" });
        var d = await TestRecords.CreateAsync(Client, new { name = "D", email = $"d@{domain}" });
        await Host.QuietAsync(Patience);
        var applied = (await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b }, survivorId = a }, HttpStatusCode.Created))["mergeId"]!.GetValue<string>();
        var undone = (await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { c, d }, survivorId = c }, HttpStatusCode.Created))["mergeId"]!.GetValue<string>();
        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{undone}/undo", new { }, HttpStatusCode.OK);
        await Host.QuietAsync(Patience);
        var appliedRows = (await RowsAsync(StorageNames.MergesTable, applied)).Select(r => r.RowKey).ToList();
        (await RowsAsync(StorageNames.MergesTable, undone)).Should().HaveCountGreaterThan(1);
        (await RowsAsync(StorageNames.LeadsTable, a)).Should().Contain(r => r.RowKey.StartsWith("o|0", StringComparison.Ordinal), "the events were written");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // the one-second windows pass

        var counts = await Cleanup.RunAsync(Ct);

        (await RowsAsync(StorageNames.CaptureTable, oldRate)).Should().BeEmpty("a rate window long gone");
        (await ExistsAsync(StorageNames.CaptureTable, liveRate, "live-address")).Should().BeTrue("the current minute still counts");
        (await RowsAsync(StorageNames.CaptureTable, oldClaims)).Should().BeEmpty("claims past their windows");
        using (var repeat = await Client.CaptureAsync(new { email, name = "Changed" }, idempotencyKey: "live-key"))
        {
            await repeat.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }
        (await Host.CountStoredLeadsAsync(email)).Should().Be(1, "a live idempotency key still answers the first lead");

        (await RowsAsync(StorageNames.LeadsTable, a)).Where(r => r.RowKey.StartsWith("o|0", StringComparison.Ordinal)).Should().BeEmpty("sent events past their window go");
        (await RowsAsync(StorageNames.MergesTable, undone)).Select(r => r.RowKey).Should().Equal(["journal"], "an undone merge keeps only its record");
        (await Client.GetJsonAsync($"merges/{undone}"))["state"]!.GetValue<string>().Should().Be("undone");
        (await RowsAsync(StorageNames.MergesTable, applied)).Select(r => r.RowKey).Should().BeEquivalentTo(appliedRows, "an applied merge can still be undone");
        counts.CaptureRows.Should().BeGreaterThanOrEqualTo(3);
        counts.MergeRows.Should().BeGreaterThan(0);
        counts.OutboxRows.Should().BeGreaterThan(0);

        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{applied}/undo", new { }, HttpStatusCode.OK);
        (await Client.GetJsonAsync($"leads/{b}"))["status"]!.GetValue<string>().Should().Be("active", "the undo after the clean-up brings the record back");
        (await Client.GetJsonAsync($"leads/{b}"))["name"]!.GetValue<string>().Should().Be("B");
    }

    [Fact]
    public async Task A_pass_killed_mid_way_is_finished_by_the_next()
    {
        var (oldRate, _, oldClaims) = await SeedCaptureRowsAsync();
        var domain = Api.UniqueDomain();
        var e = await TestRecords.CreateAsync(Client, new { name = "E", email = $"e@{domain}" });
        var f = await TestRecords.CreateAsync(Client, new { name = "F", email = $"f@{domain}" });
        await Host.QuietAsync(Patience);
        var undone = (await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { e, f } }, HttpStatusCode.Created))["mergeId"]!.GetValue<string>();
        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{undone}/undo", new { }, HttpStatusCode.OK);
        await Host.QuietAsync(Patience);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        Faults.Reset((_, step) => step == "cleanup batch");
        await Cleanup.Awaiting(c => c.RunAsync(Ct)).Should().ThrowAsync<InjectedFaultException>();
        Faults.Reset();
        await Cleanup.RunAsync(Ct);

        (await RowsAsync(StorageNames.CaptureTable, oldRate)).Should().BeEmpty();
        (await RowsAsync(StorageNames.CaptureTable, oldClaims)).Should().BeEmpty();
        (await RowsAsync(StorageNames.MergesTable, undone)).Select(r => r.RowKey).Should().Equal(["journal"]);
        (await RowsAsync(StorageNames.LeadsTable, e)).Where(r => r.RowKey.StartsWith("o|0", StringComparison.Ordinal)).Should().BeEmpty();
    }
}
