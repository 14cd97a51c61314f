using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Events;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadFunctions.Infrastructure.Tests.Outbox;

/// <summary>The Service Bus sink with the SDK's test doubles, and the outbox behind it against Azurite.</summary>
public sealed class ServiceBusSinkTests(SharedAzurite azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void An_event_is_a_message_in_the_CloudEvents_binary_mode_named_by_its_id()
    {
        var lead = TestLeads.New(email: "ann@acme.test", name: "Ann's deal");
        var entry = TestLeads.Created(lead);
        var cloudEvent = EventEnvelope.Create("https://leads.example.test/api", "com.leadfunctions.lead.created", lead, entry);

        var message = ServiceBusSink.ToMessage(cloudEvent, EventPayload.Full);

        message.MessageId.Should().Be(entry.Id, "the topic's duplicate detection drops a redelivery by it");
        message.Subject.Should().Be("com.leadfunctions.lead.created");
        message.ContentType.Should().Be("application/json");
        message.ApplicationProperties["cloudEvents:specversion"].Should().Be("1.0");
        message.ApplicationProperties["cloudEvents:id"].Should().Be(entry.Id);
        message.ApplicationProperties["cloudEvents:type"].Should().Be("com.leadfunctions.lead.created");
        message.ApplicationProperties["cloudEvents:source"].Should().Be("https://leads.example.test/api");
        message.ApplicationProperties["cloudEvents:subject"].Should().Be(lead.Id);
        DateTimeOffset.Parse((string)message.ApplicationProperties["cloudEvents:time"], System.Globalization.CultureInfo.InvariantCulture).Should().Be(entry.At);
        var body = JsonNode.Parse(message.Body.ToString())!;
        body["id"]!.GetValue<string>().Should().Be(lead.Id);
        body["name"]!.GetValue<string>().Should().Be("Ann's deal");
        body["version"].Should().BeNull("the version is the ETag of the write that stores the event");
        message.ApplicationProperties["cloudEvents:actor"].Should().Be("system", "the actor travels as an attribute like the others");
        body["actor"]!.ToJsonString().Should().Be("""{"kind":"system","id":null,"name":"LeadFunctions"}""");
    }

    [Fact]
    public void An_event_too_large_for_a_message_goes_without_its_data_pointing_to_the_record()
    {
        var lead = TestLeads.New(email: "big@acme.test");
        lead.Description = new string('x', ServiceBusSink.MaxBodyBytes + 10);
        var message = ServiceBusSink.ToMessage(EventEnvelope.Create("/leadfunctions", "com.leadfunctions.lead.created", lead, TestLeads.Created(lead)), EventPayload.Full);

        message.Body.ToMemory().Length.Should().Be(0);
        message.ApplicationProperties["cloudEvents:dataref"].Should().Be($"/api/leads/{lead.Id}");
    }

    [Fact]
    public void In_thin_mode_an_event_is_an_empty_message_whose_properties_name_the_record_and_point_to_it()
    {
        var lead = TestLeads.New(email: "ann@acme.test", name: "Ann's deal");
        lead.Phone = "+1 415 555 0100";
        lead.ContactName = "Ann Lee";
        var mergeId = Ids.New(DateTimeOffset.UtcNow);
        var other = Ids.New(DateTimeOffset.UtcNow);
        var entry = LogEntries.New(lead.Id, DateTimeOffset.UtcNow, LogKind.Merged, "Merged.", new JsonObject { ["mergeId"] = mergeId, ["mergedIds"] = new JsonArray(other) },
            Actor.Person("01JSALESPERSON0000000000LM", "Lea Martin"));
        var cloudEvent = EventEnvelope.Create("/leadfunctions", "com.leadfunctions.leads.merged", lead, entry);

        var message = ServiceBusSink.ToMessage(cloudEvent, EventPayload.Thin);

        message.Body.ToMemory().Length.Should().Be(0);
        message.ContentType.Should().BeNull("there is no data to describe");
        message.MessageId.Should().Be(entry.Id);
        message.Subject.Should().Be("com.leadfunctions.leads.merged");
        var properties = message.ApplicationProperties;
        properties["cloudEvents:id"].Should().Be(entry.Id);
        properties["cloudEvents:type"].Should().Be("com.leadfunctions.leads.merged");
        properties["cloudEvents:source"].Should().Be("/leadfunctions");
        properties["cloudEvents:subject"].Should().Be(lead.Id);
        properties["cloudEvents:time"].Should().NotBeNull();
        properties["cloudEvents:dataref"].Should().Be($"/api/leads/{lead.Id}");
        properties["cloudEvents:mergeid"].Should().Be(mergeId, "a merge's ids are told thin too");
        properties["cloudEvents:recordids"].Should().Be(other);
        properties["cloudEvents:actor"].Should().Be("person:01JSALESPERSON0000000000LM", "who merged is told thin too, by kind and id");
        properties.Should().NotContainKey("cloudEvents:datacontenttype");
        var values = string.Join('\n', properties.Values);
        foreach (var personal in new[] { "ann@acme.test", "555 0100", "Ann Lee", "Ann's deal", "Lea Martin" })
        {
            values.Should().NotContain(personal);
        }
    }

    [Fact]
    public async Task A_busy_namespace_gets_the_events_again_in_order_with_the_same_ids_and_nothing_is_left_pending()
    {
        var clients = azurite.NewClients();
        var store = new LeadStore(clients, new LeadList(clients));
        var lead = TestLeads.New(email: $"sb@{TestLeads.UniqueDomain()}");
        var created = TestLeads.Created(lead);
        await store.InsertAsync(lead, [created], Ct);
        var row = await store.ReadAsync(lead.Id, Ct);
        var lost = LogEntries.New(lead.Id, DateTimeOffset.UtcNow, LogKind.Lost, "Marked lost.", null, Actor.System);
        lead.Status = LeadStatus.Lost;
        await store.UpdateAsync(lead, row!, [lost], Ct);

        var sender = new RecordingSender { FailuresLeft = 1 };
        var outbox = new OutboxStore(clients, TimeProvider.System);
        var dispatcher = new OutboxDispatcher(outbox, new OutboxQueue(clients), [new ServiceBusSink(sender, EventPayload.Full)], new WriteFaults(), NullLogger<OutboxDispatcher>.Instance);

        var first = () => dispatcher.DispatchAsync(lead.Id, Ct);
        (await first.Should().ThrowAsync<ServiceBusException>()).Which.IsTransient.Should().BeTrue();
        (await outbox.ReadAsync(lead.Id, Ct)).Pending.Should().HaveCount(2, "nothing is marked sent when the sink failed");

        (await dispatcher.DispatchAsync(lead.Id, Ct)).Should().Be(2);
        sender.Sent.Select(m => m.MessageId).Should().Equal([created.Id, lost.Id]);
        sender.Sent.Select(m => m.Subject).Should().Equal(["com.leadfunctions.lead.created", "com.leadfunctions.lead.lost"]);
        JsonNode.Parse(sender.Sent[1].Body.ToString())!["status"]!.GetValue<string>().Should().Be("lost");
        (await outbox.ReadAsync(lead.Id, Ct)).Pending.Should().BeEmpty();
        (await dispatcher.DispatchAsync(lead.Id, Ct)).Should().Be(0, "sent events are not sent again");
    }

    [Fact]
    public async Task Events_that_do_not_fit_one_batch_are_sent_one_by_one_in_order()
    {
        var clients = azurite.NewClients();
        var store = new LeadStore(clients, new LeadList(clients));
        var lead = TestLeads.New(email: $"batch@{TestLeads.UniqueDomain()}");
        var entries = new[] { TestLeads.Created(lead), LogEntries.New(lead.Id, DateTimeOffset.UtcNow, LogKind.Won, "Won.", null, Actor.System) };
        await store.InsertAsync(lead, entries, Ct);
        var sender = new RecordingSender { BatchCapacity = 1 };
        var dispatcher = new OutboxDispatcher(new OutboxStore(clients, TimeProvider.System), new OutboxQueue(clients), [new ServiceBusSink(sender, EventPayload.Full)], new WriteFaults(),
            NullLogger<OutboxDispatcher>.Instance);

        await dispatcher.DispatchAsync(lead.Id, Ct);

        sender.Sent.Select(m => m.MessageId).Should().Equal(entries.Select(e => e.Id), "in the order the entries were written");
    }

    [Fact]
    public async Task A_live_topic_takes_an_event_when_a_connection_string_is_set()
    {
        var connection = Environment.GetEnvironmentVariable("Events__ServiceBus__ConnectionString");
        Assert.SkipWhen(string.IsNullOrWhiteSpace(connection), "Events__ServiceBus__ConnectionString is not set: no live Service Bus to send to (none runs here).");
        var topic = Environment.GetEnvironmentVariable("Events__ServiceBus__Topic") ?? "lead-events";
        await using var client = new ServiceBusClient(connection);
        var lead = TestLeads.New(email: "live@acme.test");
        var entry = TestLeads.Created(lead);
        var sink = new ServiceBusSink(client.CreateSender(topic), EventPayload.Full);

        await sink.SendAsync([new OutboxEvent(lead.Id, OutboxRows.RowKey(1), entry.Id, "com.leadfunctions.lead.created",
            EventEnvelope.Serialize(EventEnvelope.Create("/leadfunctions/test", "com.leadfunctions.lead.created", lead, entry)))], Ct);
    }
}
