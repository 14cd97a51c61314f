using System.Net;
using System.Text;
using Azure.Storage.Queues;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Events;

/// <summary>
/// Integration events on the <c>lead-events</c> storage queue (SPEC 6), through the local host
/// with its queues and its timer sweep running: one event per change of meaning, none for a change
/// that failed, and none lost when delivery dies. The queue is set to full events here, so that
/// each event shows the record it tells (thin events, the default, are tested on their own).
/// </summary>
public sealed class EventsTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Events:StorageQueue:Payload"] = "Full",
    ["Events:SweepSchedule"] = "*/1 * * * * *",
    ["Events:SweepAfter"] = "00:00:02",
    ["Events:Source"] = "https://leads.example.test/api",
    // A merge killed on purpose is rolled back (and its watchdog fires) within the tests' patience.
    ["Merges:StaleAfter"] = "00:00:02",
})
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_change_of_a_record_is_one_event_in_order_carrying_the_record_after_it()
    {
        var events = new EventQueue(Host);
        var domain = Api.UniqueDomain();
        var captured = await Client.CaptureIdAsync(new { email = $"ann@{domain}", contactName = "Ann" });
        await Client.WaitCheckedAsync(captured);
        var created = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Deal", email = $"ann@{domain}", type = "opportunity" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(created);
        await Client.SendJsonAsync(HttpMethod.Patch, $"leads/{created}", new { city = "Lyon" }, HttpStatusCode.OK);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{created}/win", null, HttpStatusCode.OK);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{created}/restore", null, HttpStatusCode.OK);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{created}/lose", new { reason = "No budget" }, HttpStatusCode.OK);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{created}/notes", new { message = "Called back" }, HttpStatusCode.Created);

        await events.SettleAsync();

        // Checked again or not once the second record links to it, it was told captured first.
        EventQueue.Types(events.About(captured)).Should().StartWith(["lead.captured"]);
        EventQueue.Types(events.About(created)).Should().Equal(
            ["lead.created", "lead.duplicate-flagged", "lead.updated", "lead.won", "lead.restored", "lead.lost"],
            "a note is history, not a change of the record, and each change is told once");
        var all = events.About(created);
        all.Select(e => e["id"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
        foreach (var e in all)
        {
            e["specversion"]!.GetValue<string>().Should().Be("1.0");
            e["source"]!.GetValue<string>().Should().Be("https://leads.example.test/api");
            e["datacontenttype"]!.GetValue<string>().Should().Be("application/json");
            DateTimeOffset.Parse(e["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(-5));
            e["data"]!["id"]!.GetValue<string>().Should().Be(created);
        }
        all[2]["data"]!["city"]!.GetValue<string>().Should().Be("Lyon", "data is the record after the change");
        all[3]["data"]!["status"]!.GetValue<string>().Should().Be("won");
        all[4]["data"]!["status"]!.GetValue<string>().Should().Be("active");
        all[5]["data"]!["status"]!.GetValue<string>().Should().Be("lost");
        all[5]["data"]!["lostReason"]!.GetValue<string>().Should().Be("No budget");
        all[1]["data"]!["duplicateCheck"]!["similarIds"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal([captured]);
    }

    [Fact]
    public async Task Conversion_merge_undo_and_import_are_told_once_each()
    {
        var events = new EventQueue(Host);
        var domain = Api.UniqueDomain();
        // One person's two addresses at one company: similar by domain and name.
        var person = $"Ann Q{Guid.NewGuid():N}";
        var a = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "A", email = $"a@{domain}", contactName = person }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var b = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "B", email = $"b@{domain}", contactName = person }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(a);
        await Client.WaitCheckedAsync(b);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/convert", new { action = "convert", customer = new { mode = "none" } }, HttpStatusCode.OK);
        var merge = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b }, survivorId = a }, HttpStatusCode.Created);
        var mergeId = merge["mergeId"]!.GetValue<string>();
        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{mergeId}/undo", new { }, HttpStatusCode.OK);
        using var import = new HttpRequestMessage(HttpMethod.Post, "imports") { Content = new StringContent($"name,email\nImported,i@{Api.UniqueDomain()}\n", Encoding.UTF8, "text/csv") };
        using var started = await Client.SendAsync(import, Ct);
        await started.ShouldHaveStatusAsync(HttpStatusCode.Accepted);

        await events.WaitForAsync(q => q.Received.Any(e => e["type"]!.GetValue<string>() == "com.leadfunctions.lead.imported"), "the imported row is told");
        await events.SettleAsync();

        // The pair is told once, by whichever record's check found it.
        var flagged = new[] { a, b }.Where(id => EventQueue.Types(events.About(id)).Contains("lead.duplicate-flagged")).ToList();
        flagged.Should().NotBeEmpty("a: {0}; b: {1}", string.Join(",", EventQueue.Types(events.About(a))), string.Join(",", EventQueue.Types(events.About(b))));
        EventQueue.Types(events.About(a)).Where(t => t != "lead.duplicate-flagged").Should().Equal(["lead.created", "lead.converted", "leads.merged", "merge.undone"]);
        EventQueue.Types(events.About(b)).Where(t => t != "lead.duplicate-flagged").Should().Equal(["lead.created"],
            "the merged record's part is told by the survivor's leads.merged, and its return by merge.undone");
        var merged = events.About(a).Single(e => e["type"]!.GetValue<string>() == "com.leadfunctions.leads.merged");
        merged["data"]!["type"]!.GetValue<string>().Should().Be("opportunity");
        merged["mergeid"]!.GetValue<string>().Should().Be(mergeId);
        merged["recordids"]!.GetValue<string>().Should().Be(b, "the survivor tells which records it took in");
        var undone = events.About(a).Single(e => e["type"]!.GetValue<string>() == "com.leadfunctions.merge.undone");
        undone["mergeid"]!.GetValue<string>().Should().Be(mergeId);
        undone["recordids"]!.GetValue<string>().Should().Be(b, "and which came back");
        var imported = events.Received.Single(e => e["type"]!.GetValue<string>() == "com.leadfunctions.lead.imported");
        imported["data"]!["name"]!.GetValue<string>().Should().Be("Imported");
    }

    [Fact]
    public async Task A_change_that_failed_tells_nothing()
    {
        var events = new EventQueue(Host);
        var created = await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Old", email = $"p@{Api.UniqueDomain()}" }, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(id);
        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"leads/{id}") { Content = TestRecords.Json(new { name = "Lost update" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", created["version"]!.GetValue<string>());
        using var refused = await Client.SendAsync(stale, Ct);
        await refused.ShouldHaveStatusAsync(HttpStatusCode.PreconditionFailed);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/win", null, HttpStatusCode.Conflict);

        // A merge killed before its commit is rolled back by the next one to meet it: it never happened.
        var other = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Other", email = $"q@{Api.UniqueDomain()}" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(other);
        Faults.Reset((_, step) => step.StartsWith("hold", StringComparison.Ordinal));
        using (var killed = await Client.PostAsync("merges", TestRecords.Json(new { leadIds = new[] { id, other } }), Ct))
        {
            killed.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }
        Faults.Reset();
        await Client.SendJsonAsync(HttpMethod.Patch, $"leads/{other}", new { city = "Oslo" }, HttpStatusCode.OK);

        await events.SettleAsync();
        EventQueue.Types(events.About(id)).Should().Equal(["lead.created"]);
        EventQueue.Types(events.About(other)).Should().Equal(["lead.created", "lead.updated"]);
    }

    [Fact]
    public async Task Events_whose_delivery_keeps_dying_are_delivered_by_the_sweep_once_it_stops()
    {
        var events = new EventQueue(Host);
        // Every delivery dies right after taking the record's lease, past all the queue's tries.
        Faults.Reset((_, step) => step == "dispatch lease");
        var id = await Client.CaptureIdAsync(new { email = $"late@{Api.UniqueDomain()}" });
        await Client.WaitCheckedAsync(id);
        var executions = Host.Services.GetRequiredService<LocalHost.FunctionExecutions>();
        // Not "the check failed 5 times": a try of the check that meets one of the sweep's
        // dispatchers holding the lease leaves the events to it and succeeds, so that count may
        // never come (the test then failed at its deadline). What always comes: the check's
        // delivery died, its message is done with (every try died, or one handed over), so nothing
        // but the sweep's wakes is left to deliver, and those die try after try.
        await events.WaitForAsync(async _ => executions.FailuresOf("IngestLead") >= 1
                && await MessagesAsync(StorageNames.IngestQueue) == 0
                && executions.FailuresOf("DispatchEvents") >= 5,
            "the check's delivery and the dispatcher's own tries all die");
        events.About(id).Should().BeEmpty("no delivery got through");

        Faults.Reset();
        await events.WaitForAsync(q => q.About(id).Count >= 1, "the sweep wakes the record's outbox");
        await events.SettleAsync();
        EventQueue.Types(events.About(id)).Should().Equal(["lead.captured"]);
    }

    /// <summary>Messages on a queue of the test's Azurite, the invisible ones (waiting for a retry) included.</summary>
    private async Task<int> MessagesAsync(string queueName)
    {
        var queue = new QueueClient(Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString, queueName);
        return (await queue.ExistsAsync(Ct)).Value ? (await queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount : 0;
    }

    [Fact]
    public async Task An_event_delivered_twice_carries_the_same_id()
    {
        var events = new EventQueue(Host);
        var created = await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Twice", email = $"t@{Api.UniqueDomain()}" }, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(id);
        await events.SettleAsync();

        // Dies after the sinks took the event and before it is marked sent: it goes again.
        var died = 0;
        Faults.Reset((_, step) => step == "events sent" && Interlocked.Increment(ref died) == 1);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/lose", null, HttpStatusCode.OK);
        await events.WaitForAsync(q => q.About(id).Count(e => e["type"]!.GetValue<string>().EndsWith("lead.lost", StringComparison.Ordinal)) == 2, "the event is sent again");
        await events.SettleAsync();

        var lost = events.About(id).Where(e => e["type"]!.GetValue<string>().EndsWith("lead.lost", StringComparison.Ordinal)).ToList();
        lost.Should().HaveCount(2);
        lost.Select(e => e["id"]!.GetValue<string>()).Distinct().Should().ContainSingle();
        lost[0].ToJsonString().Should().Be(lost[1].ToJsonString(), "the redelivery is the same event");
    }
}
