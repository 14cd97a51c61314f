using System.Net;
using System.Text.Json.Nodes;
using LeadFunctions.Functions.Tests.Features.Webhooks;

namespace LeadFunctions.Functions.Tests.Features.Events;

/// <summary>
/// What each sink's events carry (SPEC 4.5, 6), through the local host with its defaults: the
/// <c>lead-events</c> queue holds thin events (nothing an erasure would have to reach) that expire
/// after Retention:SentEvents, while webhooks get the whole record.
/// </summary>
public sealed class DefaultEventPayloadTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Events:Webhooks:AllowInsecureLocal"] = "true",
    // Not the default, so that the queue's time to live is seen to follow the setting.
    ["Retention:SentEvents"] = "3.00:00:00",
})
{
    [Fact]
    public async Task The_queue_tells_a_captured_and_a_created_lead_by_ids_and_dataref_only_in_messages_that_expire_after_Retention_SentEvents()
    {
        var events = new EventQueue(Host);
        var person = TestPerson.New();
        var captured = await Client.CaptureIdAsync(new { email = person.Email, phone = person.Phone, contactName = person.Name, companyName = person.Company });
        var created = await person.CreateLeadAsync(Client);

        await events.WaitForAsync(q => q.About(captured).Count >= 1 && q.About(created).Count >= 1, "both records are told");
        await events.SettleAsync();

        EventQueue.Types(events.About(captured)).Should().StartWith(["lead.captured"]);
        EventQueue.Types(events.About(created)).Should().StartWith(["lead.created"]);
        events.About(captured)[0]["actor"]!.GetValue<string>().Should().Be("visitor", "a capture is the web form visitor's");
        var told = events.Received.Select((e, i) => (Event: e, Message: events.Messages[i]))
            .Where(m => m.Event["subject"]?.GetValue<string>() is { } subject && (subject == captured || subject == created)).ToList();
        told.Should().HaveCountGreaterThanOrEqualTo(2);
        foreach (var (e, message) in told)
        {
            person.ShouldNotBeIn(message.Body.ToString());
            e.ContainsKey("data").Should().BeFalse("a thin event carries no data");
            e.ContainsKey("datacontenttype").Should().BeFalse();
            e["dataref"]!.GetValue<string>().Should().Be($"/api/leads/{e["subject"]!.GetValue<string>()}");
            e["id"]!.GetValue<string>().Should().NotBeNullOrEmpty();
            e["source"]!.GetValue<string>().Should().Be("/leadfunctions");
            e["time"].Should().NotBeNull();
            e["actor"].Should().NotBeNull("who made the change is told thin too (SPEC 10)");
            (message.ExpiresOn!.Value - message.InsertedOn!.Value).Should().BeCloseTo(TimeSpan.FromDays(3), TimeSpan.FromSeconds(1),
                "an erasure does not read the queue, so its messages go by themselves");
        }

        // A consumer allowed to read the record finds it where dataref points.
        var dataref = events.About(created)[0]["dataref"]!.GetValue<string>();
        (await Client.GetJsonAsync(dataref))["email"]!.GetValue<string>().Should().Be(person.Email);
    }

    [Fact]
    public async Task Webhooks_get_the_whole_record()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (204, ""));
        await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = new Uri(receiver.Address, "hook").ToString(), events = new[] { "lead.created" } }, HttpStatusCode.Created);
        var person = TestPerson.New();
        var created = await person.CreateLeadAsync(Client);

        var request = (await receiver.WaitForAsync(r => r.Count >= 1, Api.Patience))[0];

        var data = JsonNode.Parse(request.Body)!["data"]!;
        data["id"]!.GetValue<string>().Should().Be(created);
        data["email"]!.GetValue<string>().Should().Be(person.Email);
        data["contactName"]!.GetValue<string>().Should().Be(person.Name);
    }
}

/// <summary>The other way round, as set: the queue full and webhooks thin.</summary>
public sealed class SetEventPayloadTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Events:Webhooks:AllowInsecureLocal"] = "true",
    ["Events:StorageQueue:Payload"] = "Full",
    ["Events:Webhooks:Payload"] = "Thin",
})
{
    [Fact]
    public async Task Set_to_full_the_queue_tells_the_whole_record_and_set_to_thin_webhooks_tell_ids_and_dataref()
    {
        var events = new EventQueue(Host);
        await using var receiver = LoopbackReceiver.Start(_ => (204, ""));
        var secret = (await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = new Uri(receiver.Address, "hook").ToString(), events = new[] { "lead.created" } },
            HttpStatusCode.Created))["secret"]!.GetValue<string>();
        var person = TestPerson.New();
        var created = await person.CreateLeadAsync(Client);

        await events.WaitForAsync(q => q.About(created).Count >= 1, "the record is told");
        var queued = events.About(created)[0];
        queued["data"]!["email"]!.GetValue<string>().Should().Be(person.Email);
        queued.ContainsKey("dataref").Should().BeFalse();
        var message = events.Messages[events.Received.ToList().IndexOf(queued)];
        (message.ExpiresOn!.Value - message.InsertedOn!.Value).Should().BeCloseTo(TimeSpan.FromDays(7), TimeSpan.FromSeconds(1), "Retention:SentEvents' default");

        var request = (await receiver.WaitForAsync(r => r.Count >= 1, Api.Patience))[0];
        person.ShouldNotBeIn(request.Body);
        var hooked = JsonNode.Parse(request.Body)!.AsObject();
        hooked.ContainsKey("data").Should().BeFalse();
        hooked["subject"]!.GetValue<string>().Should().Be(created);
        hooked["type"]!.GetValue<string>().Should().Be("com.leadfunctions.lead.created");
        hooked["dataref"]!.GetValue<string>().Should().Be($"/api/leads/{created}");
        StandardWebhooksVerifier.Verify(secret, request).Should().BeTrue("a thin event is signed like a full one");
    }
}

/// <summary>One person's details, unique to the test, and the check that a text holds none of them.</summary>
internal sealed record TestPerson(string Email, string Phone, string Name, string Company, string Deal)
{
    public static TestPerson New()
    {
        var domain = Api.UniqueDomain();
        return new($"ann@{domain}", "+1 415 555 2671", "Ann Thinley", "Thinco " + domain, "Thin deal " + domain);
    }

    public async Task<string> CreateLeadAsync(HttpClient client) =>
        (await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = Deal, email = Email, phone = Phone, contactName = Name, companyName = Company }, HttpStatusCode.Created))
        ["id"]!.GetValue<string>();

    public void ShouldNotBeIn(string text)
    {
        // The phone in the forms it is stored or shown in (+14155552671, +1 415-555-2671, as given).
        foreach (var value in new[] { Email, "@", "5552671", "555-2671", "555 2671", Name, "Thinley", Company, Deal })
        {
            text.Should().NotContain(value);
        }
    }
}
