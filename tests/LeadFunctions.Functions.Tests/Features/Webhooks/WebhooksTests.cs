using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Webhooks;

/// <summary>
/// Webhooks through the local host (SPEC 6): a receiver on loopback (opened by
/// Events:Webhooks:AllowInsecureLocal) gets each subscribed event signed as Standard Webhooks
/// says, through failures and after them, and the delivery log tells what happened.
/// </summary>
public sealed class WebhooksTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Events:Webhooks:AllowInsecureLocal"] = "true",
    // A retry window short enough to watch end: tries at 0, 1, 3, 7 and 8 seconds.
    ["Events:Webhooks:FirstRetryAfter"] = "00:00:01",
    ["Events:Webhooks:RetryWindow"] = "00:00:08",
})
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Id, string Secret)> SubscribeAsync(LoopbackReceiver receiver, params string[] events)
    {
        var created = await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = new Uri(receiver.Address, "hook").ToString(), events }, HttpStatusCode.Created);
        return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    private async Task<JsonObject> DeliveryAsync(string webhookId, Func<JsonObject, bool> condition) =>
        await Api.EventuallyAsync(async () => await Client.GetJsonAsync($"webhooks/{webhookId}/deliveries"),
            log => log["items"]!.AsArray().Count > 0 && condition(log["items"]![0]!.AsObject()));

    [Fact]
    public async Task A_subscriber_gets_each_event_of_its_types_once_signed_with_its_secret()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (204, ""));
        var (webhookId, secret) = await SubscribeAsync(receiver, "lead.created", "lead.won");
        secret.Should().StartWith("whsec_");
        (await Client.GetJsonAsync($"webhooks/{webhookId}")).ContainsKey("secret").Should().BeFalse("the secret is shown once");

        var lead = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Deal", email = $"ann@{Api.UniqueDomain()}", type = "opportunity" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(lead);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{lead}/win", null, HttpStatusCode.OK);
        await Host.QuietAsync(Patience);

        var requests = await receiver.WaitForAsync(r => r.Count >= 2, Patience);
        requests.Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>()).Should().BeEquivalentTo(
            ["com.leadfunctions.lead.created", "com.leadfunctions.lead.won"], "the duplicate check's event is not subscribed");
        foreach (var request in requests)
        {
            request.Method.Should().Be("POST");
            request.Path.Should().Be("/hook");
            request.Headers["Content-Type"].Should().StartWith("application/json");
            StandardWebhooksVerifier.Verify(secret, request).Should().BeTrue("a receiver verifies it with the Standard Webhooks algorithm");
            var body = JsonNode.Parse(request.Body)!;
            request.Headers["webhook-id"].Should().Be(body["id"]!.GetValue<string>(), "the webhook id is the event's id");
            body["subject"]!.GetValue<string>().Should().Be(lead);
            body["data"]!["id"]!.GetValue<string>().Should().Be(lead);
        }
        StandardWebhooksVerifier.Verify("whsec_" + Convert.ToBase64String(new byte[32]), requests[0]).Should().BeFalse("another secret does not verify");

        var log = await DeliveryAsync(webhookId, d => d["status"]!.GetValue<string>() == "delivered");
        log["items"]!.AsArray().Should().HaveCount(2);
        foreach (var delivery in log["items"]!.AsArray())
        {
            delivery!["status"]!.GetValue<string>().Should().Be("delivered");
            delivery["attempts"]!.GetValue<int>().Should().Be(1);
            delivery["lastStatusCode"]!.GetValue<int>().Should().Be(204);
            delivery["subject"]!.GetValue<string>().Should().Be(lead);
        }
    }

    [Fact]
    public async Task The_secret_is_encrypted_at_rest_and_one_stored_before_encryption_still_signs()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (204, ""));
        var (webhookId, secret) = await SubscribeAsync(receiver, "lead.created");
        var table = Host.Services.GetRequiredService<LeadFunctions.Infrastructure.Tables.StorageClients>().Webhooks;
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("hook", webhookId, cancellationToken: Ct)).Value;
        row.GetString("Secret").Should().StartWith("dp1:").And.NotContain(secret["whsec_".Length..], "a copy of the table must not sign as us");

        // As a subscription made before secrets were encrypted has it.
        var plain = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        row["Secret"] = plain;
        await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Merge, Ct);
        await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Deal", email = $"old@{Api.UniqueDomain()}" }, HttpStatusCode.Created);

        var requests = await receiver.WaitForAsync(r => r.Count >= 1, Patience);
        StandardWebhooksVerifier.Verify(plain, requests[0]).Should().BeTrue();
    }

    [Fact]
    public async Task A_receiver_that_fails_for_a_while_gets_the_event_once_it_recovers_under_the_same_id()
    {
        var calls = 0;
        await using var receiver = LoopbackReceiver.Start(_ => Interlocked.Increment(ref calls) <= 2 ? (500, "{\"error\":\"down\"}") : (200, "{}"));
        var (webhookId, secret) = await SubscribeAsync(receiver, "lead.created");
        var lead = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Deal", email = $"bob@{Api.UniqueDomain()}" }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        var delivery = (await DeliveryAsync(webhookId, d => d["status"]!.GetValue<string>() == "delivered"))["items"]![0]!;
        delivery["attempts"]!.GetValue<int>().Should().Be(3);
        delivery["lastStatusCode"]!.GetValue<int>().Should().Be(200);
        var requests = receiver.Requests;
        requests.Should().HaveCount(3);
        requests.Select(r => r.Headers["webhook-id"]).Distinct().Should().ContainSingle("a retry is the same message");
        requests.Should().AllSatisfy(r => StandardWebhooksVerifier.Verify(secret, r).Should().BeTrue());
        JsonNode.Parse(requests[^1].Body)!["subject"]!.GetValue<string>().Should().Be(lead);
    }

    [Fact]
    public async Task A_receiver_down_past_the_retry_window_leaves_the_delivery_dead_lettered_in_the_log()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (503, ""));
        var (webhookId, _) = await SubscribeAsync(receiver, "*");
        await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Deal", email = $"cy@{Api.UniqueDomain()}" }, HttpStatusCode.Created);

        var delivery = (await DeliveryAsync(webhookId, d => d["status"]!.GetValue<string>() == "dead-lettered"))["items"]!.AsArray()
            .Single(d => d!["eventType"]!.GetValue<string>() == "com.leadfunctions.lead.created")!;
        delivery["lastStatusCode"]!.GetValue<int>().Should().Be(503);
        delivery["attempts"]!.GetValue<int>().Should().BeInRange(4, 6, "tries at 0, 1, 3, 7 and 8 seconds");
        delivery["nextAttemptAt"].Should().BeNull();
        delivery["lastError"]!.GetValue<string>().Should().Contain("503");
        await Host.QuietAsync(Patience);
        var after = receiver.Requests.Count;
        await Host.QuietAsync(Patience);
        receiver.Requests.Count.Should().Be(after, "a dead-lettered delivery is not tried again");
    }

    [Fact]
    public async Task A_delivery_killed_after_it_was_written_or_after_its_try_is_still_delivered_under_its_id()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (200, ""));
        var (webhookId, secret) = await SubscribeAsync(receiver, "lead.created");
        var diedWritten = 0;
        var diedTried = 0;
        Faults.Reset((_, step) =>
            (step == "webhook delivery written" && Interlocked.Increment(ref diedWritten) == 1)
            || (step == "webhook tried" && Interlocked.Increment(ref diedTried) == 1));
        var lead = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Crash", email = $"eve@{Api.UniqueDomain()}" }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        var delivery = (await DeliveryAsync(webhookId, d => d["status"]!.GetValue<string>() == "delivered"))["items"]!.AsArray().Should().ContainSingle().Subject!;
        diedWritten.Should().BeGreaterThanOrEqualTo(1, "the dispatch died once right after writing the delivery");
        diedTried.Should().BeGreaterThanOrEqualTo(1, "the delivery died once right after its try");
        var requests = await receiver.WaitForAsync(r => r.Count >= 2, Patience);
        requests.Select(r => r.Headers["webhook-id"]).Distinct().Should().Equal([delivery["id"]!.GetValue<string>()], "the try made again is the same message");
        requests.Should().AllSatisfy(r => StandardWebhooksVerifier.Verify(secret, r).Should().BeTrue());
        JsonNode.Parse(requests[0].Body)!["subject"]!.GetValue<string>().Should().Be(lead);
    }

    [Fact]
    public async Task The_test_ping_reports_how_it_went_and_is_logged()
    {
        var answer = 200;
        await using var receiver = LoopbackReceiver.Start(_ => (answer, ""));
        var (webhookId, secret) = await SubscribeAsync(receiver, "lead.lost");

        var ok = await Client.SendJsonAsync(HttpMethod.Post, $"webhooks/{webhookId}/test", null, HttpStatusCode.OK);
        ok["status"]!.GetValue<string>().Should().Be("delivered");
        ok["eventType"]!.GetValue<string>().Should().Be("com.leadfunctions.webhook.ping");
        var ping = receiver.Requests.Should().ContainSingle().Subject;
        StandardWebhooksVerifier.Verify(secret, ping).Should().BeTrue();
        JsonNode.Parse(ping.Body)!["data"]!["webhookId"]!.GetValue<string>().Should().Be(webhookId);

        answer = 500;
        var failed = await Client.SendJsonAsync(HttpMethod.Post, $"webhooks/{webhookId}/test", null, HttpStatusCode.OK);
        failed["status"]!.GetValue<string>().Should().Be("failed");
        failed["lastStatusCode"]!.GetValue<int>().Should().Be(500);
        var log = await Client.GetJsonAsync($"webhooks/{webhookId}/deliveries");
        log["items"]!.AsArray().Select(d => d!["status"]!.GetValue<string>()).Should().Equal(["failed", "delivered"], "newest first");
        await Host.QuietAsync(Patience);
        receiver.Requests.Should().HaveCount(2, "a ping is tried once");
    }

    [Fact]
    public async Task A_null_event_type_is_a_400_problem_on_events_when_subscribing_and_when_changing()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (200, ""));
        var (webhookId, _) = await SubscribeAsync(receiver, "lead.created");
        var url = new Uri(receiver.Address, "hook").ToString();

        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, "webhooks", $"{{\"url\":\"{url}\",\"events\":[null]}}"),
            (HttpMethod.Post, "webhooks", $"{{\"url\":\"{url}\",\"events\":[\"lead.won\",null]}}"),
            (HttpMethod.Patch, $"webhooks/{webhookId}", "{\"events\":[null]}"),
        })
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            using var response = await Client.SendAsync(request, Ct);
            await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
            (await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("events");
        }
        (await Client.GetJsonAsync("webhooks"))["items"]!.AsArray().Should().ContainSingle("nothing was subscribed");
        (await Client.GetJsonAsync($"webhooks/{webhookId}"))["events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("com.leadfunctions.lead.created");
    }

    [Fact]
    public async Task Subscriptions_are_listed_changed_paused_and_deleted()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (200, ""));
        var (webhookId, _) = await SubscribeAsync(receiver, "lead.created");
        var listed = await Client.GetJsonAsync("webhooks");
        listed["items"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()).Should().Contain(webhookId);
        listed["items"]!.AsArray().Should().AllSatisfy(w => w!.AsObject().ContainsKey("secret").Should().BeFalse());

        var paused = await Client.SendJsonAsync(HttpMethod.Patch, $"webhooks/{webhookId}", new { active = false, events = new[] { "*" } }, HttpStatusCode.OK);
        paused["active"]!.GetValue<bool>().Should().BeFalse();
        paused["events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("*");
        var lead = (await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Quiet", email = $"dee@{Api.UniqueDomain()}" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Client.WaitCheckedAsync(lead);
        await Host.QuietAsync(Patience);
        receiver.Requests.Should().BeEmpty("a paused subscription receives nothing");

        var problem = await Client.SendJsonAsync(HttpMethod.Patch, $"webhooks/{webhookId}", new { events = new[] { "lead.exploded" } }, HttpStatusCode.BadRequest);
        problem["errors"]!["events"].Should().NotBeNull();
        await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = new Uri(receiver.Address, "x").ToString(), events = new[] { "*" }, secret = "whsec_mine" }, HttpStatusCode.BadRequest);

        using var deleted = await Client.DeleteAsync($"webhooks/{webhookId}", Ct);
        await deleted.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        using var gone = await Client.GetAsync($"webhooks/{webhookId}", Ct);
        await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        using var again = await Client.DeleteAsync($"webhooks/{webhookId}", Ct);
        await again.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }
}
