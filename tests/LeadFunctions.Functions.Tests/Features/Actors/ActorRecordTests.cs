using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Erasure;
using LeadFunctions.Functions.Features.Imports;
using LeadFunctions.Functions.Features.Webhooks;
using LeadFunctions.Infrastructure.Access;

namespace LeadFunctions.Functions.Tests.Features.Actors;

/// <summary>
/// The records that say who did them (SPEC 10): an import and an erasure, both run later by queue
/// functions that keep the requester's actor in what they write, and a webhook's changes and test.
/// </summary>
public sealed class ActorRecordTests : ActorHost
{
    [Fact]
    public async Task An_import_stored_by_the_queue_function_is_the_importers_and_its_duplicate_checks_the_systems()
    {
        var events = new EventQueue(Host);
        var email = $"imp@{Api.UniqueDomain()}";
        var body = Encoding.UTF8.GetBytes($"name,email\nFirst row,{email}\nSecond row,{email}\n");
        ImportRecord import;
        using (ActorScope.Begin(Lea))
        {
            (import, _) = await Service<ImportService>().StartAsync(ImportFile.ReadCsv(body), ImportFile.Fingerprint("csv", body), null, Ct);
        }

        var done = await UntilAsync(() => Client.GetJsonAsync($"imports/{import.Id}"), i => i["status"]!.GetValue<string>() == "done", "the import finishes");
        done["actor"]!.ToJsonString().Should().Be(Json(Lea));
        done["counts"]!["flagged"]!.GetValue<int>().Should().Be(2);
        var listed = await UntilAsync(() => Client.GetJsonAsync($"leads?email={Uri.EscapeDataString(email)}"), l => l["items"]!.AsArray().Count == 2, "both rows are listed");
        foreach (var id in listed.Ids())
        {
            var log = await LogAsync(id);
            Entry(log, "imported")["actor"]!.ToJsonString().Should().Be(Json(Lea), "the rows are Lea's, though a queue function stored them");
            log.Where(e => e["kind"]!.GetValue<string>() == "duplicate-flagged").Should().NotBeEmpty()
                .And.AllSatisfy(e => e["actor"]!.ToJsonString().Should().Be(Json(Actor.System), "a check is the system's, even inside an import"));
        }
        var first = listed.Ids().First();
        await events.WaitForAsync(q => q.About(first).Count >= 1, "the imported row is told");
        ShouldTell(Event(events, first, "lead.imported"), Lea, "person:" + Lea.Id);
    }

    [Fact]
    public async Task An_erasure_run_by_the_queue_function_is_the_requesters_on_its_receipt_and_its_ids_only_event()
    {
        var events = new EventQueue(Host);
        var email = $"zq{Guid.NewGuid():N}"[..12] + $"@{Api.UniqueDomain()}";
        var lead = await TestRecords.CreateAsync(Client, new { name = "Zephyrine's enquiry", email });
        await Client.WaitCheckedAsync(lead);
        ErasureRecord started;
        using (ActorScope.Begin(Lea))
        {
            started = await Service<ErasureService>().StartAsync(new ErasureRequest(email, null), Ids.New(), Ct);
        }
        started.Actor.Should().Be(Lea);

        var receipt = await UntilAsync(() => Client.GetJsonAsync($"erasures/{started.Id}"), r => r["status"]!.GetValue<string>() == "done", "the erasure finishes");
        receipt["actor"]!.ToJsonString().Should().Be(Json(Lea), "the receipt says who asked, which is no data of the erased person");
        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(1);

        await events.WaitForAsync(q => q.About(lead).Any(e => e["type"]!.GetValue<string>().EndsWith("lead.erased", StringComparison.Ordinal)), "the erasure is told");
        var erased = Event(events, lead, "lead.erased");
        ShouldTell(erased, Lea, "person:" + Lea.Id);
        erased["data"]!.AsObject().Select(p => p.Key).Should().Equal(["id", "actor"], "ids only, and who asked");
    }

    [Fact]
    public async Task A_webhook_says_who_made_and_changed_it_and_its_test_ping_who_sent_it()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (204, ""));
        var service = Service<WebhookService>();
        Webhook made;
        using (ActorScope.Begin(Lea))
        {
            (made, _) = await service.CreateAsync(new Webhook { Url = new Uri(receiver.Address, "hook").ToString(), Events = ["lead.created"] }, Ids.New(), Ct);
        }
        WebhookDelivery ping;
        using (ActorScope.Begin(Bob))
        {
            await service.PatchAsync(made.Id, new MergePatch(new JsonObject { ["description"] = "Shop sync" }), Ct);
            ping = await service.PingAsync(made.Id, Ct);
        }

        var webhook = await Client.GetJsonAsync($"webhooks/{made.Id}");
        webhook["createdBy"]!.ToJsonString().Should().Be(Json(Lea));
        webhook["updatedBy"]!.ToJsonString().Should().Be(Json(Bob));
        webhook["updatedAt"].Should().NotBeNull();
        ping.RequestedBy.Should().Be(Bob);
        var delivery = (await Client.GetJsonAsync($"webhooks/{made.Id}/deliveries"))["items"]!.AsArray().Single()!;
        delivery["requestedBy"]!.ToJsonString().Should().Be(Json(Bob));
        var sent = JsonNode.Parse((await receiver.WaitForAsync(r => r.Count >= 1, Patience))[0].Body)!.AsObject();
        ShouldTell(sent, Bob, "person:" + Bob.Id);

        // Who made it is the server's to say: a patch cannot rewrite it.
        await Client.SendJsonAsync(HttpMethod.Patch, $"webhooks/{made.Id}", new { createdBy = new { kind = "system", id = (string?)null, name = "Someone else" } }, HttpStatusCode.OK);
        (await Client.GetJsonAsync($"webhooks/{made.Id}"))["createdBy"]!.ToJsonString().Should().Be(Json(Lea));
    }
}
