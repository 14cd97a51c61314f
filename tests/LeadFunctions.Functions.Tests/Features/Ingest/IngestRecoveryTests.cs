using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// Every stored record is listed and checked, whatever happens to its check (SPEC 4.2): text .NET
/// cannot normalize, a check that keeps throwing, a check that never runs.
/// </summary>
public static class RecoveryWaits
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>The record as listed under its email, once it is listed and <paramref name="condition"/> holds.</summary>
    public static async Task<JsonObject> ListedAsync(this HttpClient client, string id, string email, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var page = await client.GetJsonAsync($"leads?email={Uri.EscapeDataString(email)}");
            var item = page["items"]!.AsArray().FirstOrDefault(i => i!["id"]!.GetValue<string>() == id)?.AsObject();
            if (item is not null && condition(item))
            {
                return item;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Record {id} was not listed as expected in time; listed: {item?.ToJsonString() ?? "nothing"}");
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    public static string CheckStatus(this JsonObject lead) => lead["duplicateCheck"]!["status"]!.GetValue<string>();
}

public sealed class UnnormalizableTextTests() : IsolatedHostTests(queues: true)
{
    [Theory]
    [InlineData("companyName")]
    [InlineData("contactName")]
    public async Task A_capture_with_text_net_cannot_normalize_is_checked_listed_and_found_similar(string field)
    {
        var email = $"fffe@{Api.UniqueDomain()}";
        var first = await Client.CaptureIdAsync(new JsonObject { ["email"] = email, [field] = "Acme\uFFFEWidgets Jean" });
        var second = await Client.CaptureIdAsync(new JsonObject { ["email"] = email, [field] = "Acme Widgets Jean", ["message"] = "again" });

        // Whichever check runs second writes the pair onto the other.
        await Client.WaitCheckedAsync(first, RecoveryWaits.Patience);
        await Client.WaitCheckedAsync(second, RecoveryWaits.Patience);
        (await Api.EventuallyAsync(() => Client.GetJsonAsync($"leads/{first}"), l => l["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 1))
            ["duplicateCheck"]!["similarIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(second);
        await Client.ListedAsync(first, email, item => item.CheckStatus() == "done" && item["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 1);
        (await Client.SimilarAsync(second)).MatchedOn(first).Should().Contain("email");
    }

    [Fact]
    public async Task A_record_created_with_text_net_cannot_normalize_is_checked_not_left_pending()
    {
        var email = $"fffe@{Api.UniqueDomain()}";
        var created = await Client.SendJsonAsync(HttpMethod.Post, "leads", new JsonObject { ["name"] = "Odd", ["email"] = email, ["contactName"] = "Jean\uFFFELuc Picard" }, System.Net.HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(id, RecoveryWaits.Patience);
        await Client.ListedAsync(id, email, item => item.CheckStatus() == "done");
    }
}

public sealed class FailingCheckTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Ingest:MaxAttempts"] = "3",
    ["Ingest:RetryAfter"] = "00:00:01",
})
{
    [Fact]
    public async Task A_record_whose_check_keeps_throwing_is_listed_as_failed_with_the_reason_after_its_tries()
    {
        var tries = 0;
        Faults.Hold = step =>
        {
            if (step != "ingest:indexed")
            {
                return Task.CompletedTask;
            }
            Interlocked.Increment(ref tries);
            return Task.FromException(new InvalidOperationException("injected: the check cannot go on"));
        };
        var email = $"failing@{Api.UniqueDomain()}";
        var id = await Client.CaptureIdAsync(new { email, contactName = "Never Checked" });

        var listed = await Client.ListedAsync(id, email, item => item.CheckStatus() == "failed");
        var record = await Client.GetJsonAsync($"leads/{id}");
        record.CheckStatus().Should().Be("failed");
        record["duplicateCheck"]!["reason"]!.GetValue<string>().Should().Contain("3 times").And.Contain(nameof(InvalidOperationException));
        listed["duplicateCheck"]!["reason"]!.GetValue<string>().Should().Be(record["duplicateCheck"]!["reason"]!.GetValue<string>());
        tries.Should().Be(3, "each try runs the check, and the last one marks the record failed");

        // Once checks work again, a change of the record checks it and clears the failure.
        Faults.Hold = null;
        await Client.SendJsonAsync(HttpMethod.Patch, $"leads/{id}", new { phone = "+14155550123" }, System.Net.HttpStatusCode.OK);
        await Client.WaitCheckedAsync(id, RecoveryWaits.Patience);
        await Client.ListedAsync(id, email, item => item.CheckStatus() == "done");
    }

    [Fact]
    public void Retries_wait_twice_as_long_each_time_at_most_an_hour()
    {
        var recovery = Host.Services.GetRequiredService<Functions.Features.Ingest.IngestRecovery>();
        Enumerable.Range(0, 4).Select(recovery.RetryWait).Should().Equal(
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        recovery.RetryWait(40).Should().Be(TimeSpan.FromHours(1));
    }
}

public sealed class PendingSweepTests() : IsolatedHostTests(queues: false, settings: new Dictionary<string, string?>
{
    ["Ingest:RecheckAfter"] = "00:00:03",
    ["Ingest:SweepSchedule"] = "*/5 * * * * *",
})
{
    [Fact]
    public async Task With_queue_functions_off_a_capture_is_listed_as_pending_by_the_sweep_and_its_check_queued_again()
    {
        var email = $"swept@{Api.UniqueDomain()}";
        var watch = Stopwatch.StartNew();
        var id = await Client.CaptureIdAsync(new { email, contactName = "Waiting Person" });

        var listed = await Client.ListedAsync(id, email, _ => true);
        TestContext.Current.TestOutputHelper?.WriteLine($"listed {watch.Elapsed.TotalSeconds:0.0} s after its capture");
        listed.CheckStatus().Should().Be("pending");
        (await Client.GetJsonAsync("leads?status=active")).Ids().Should().Contain(id);

        // The sweep queued its check again: the capture's own message and the sweep's are both waiting.
        var connection = Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString;
        var queue = new QueueClient(connection, StorageNames.IngestQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var naming = 0;
        var deadline = DateTime.UtcNow + RecoveryWaits.Patience;
        while (naming < 2 && DateTime.UtcNow < deadline)
        {
            var peeked = await queue.PeekMessagesAsync(32, TestContext.Current.CancellationToken);
            naming = peeked.Value.Count(m => m.Body.ToString().Contains(id, StringComparison.Ordinal));
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        naming.Should().BeGreaterThanOrEqualTo(2, "the sweep sends the record's check again");
    }
}
