using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Idempotency;

/// <summary>
/// Idempotency-Key on every create but capture and imports (which have tests of their own), as
/// Stripe and the IETF draft have it: a retry with the key makes nothing new and answers the
/// first resource; the key with another body is 422, a bad key 400; a request killed right after
/// its claim answers 500, its retries 409 while the claim is in flight, then the retry makes the
/// resource, once; one killed after making it, before its key said so, is answered by the retry. One host for every route, as each test walks all of them.
/// </summary>
public sealed class IdempotencyTests() : IsolatedHostTests(queues: false, settings: new Dictionary<string, string?>
{
    ["Retention:Schedule"] = "0 0 0 1 1 *",
    ["Retention:IdempotencyInFlight"] = "00:00:05",
    ["Events:Webhooks:AllowInsecureLocal"] = "true",
})
{
    private static readonly string[] Routes = ["leads", "notes", "webhooks", "erasures", "teams", "salespeople", "customers"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A create route, two different bodies for it, what it answers, and how to count what it made of the first body.</summary>
    private sealed record Route(string Path, object Body, object Other, HttpStatusCode Created, Func<Task<int>> Count);

    private async Task<Route> RouteAsync(string name)
    {
        var unique = $"u{Guid.NewGuid():N}"[..16];
        switch (name)
        {
            case "leads":
                return new("leads", new { name = unique, email = $"{unique}@idem.test" }, new { name = unique, email = $"other-{unique}@idem.test" }, HttpStatusCode.Created,
                    async () => (await Client.GetJsonAsync($"leads?email={unique}@idem.test"))["items"]!.AsArray().Count);
            case "notes":
                var lead = await TestRecords.CreateAsync(Client, new { name = unique });
                return new($"leads/{lead}/notes", new { message = unique }, new { message = unique + " again" }, HttpStatusCode.Created,
                    async () => (await Client.GetJsonAsync($"leads/{lead}/log?pageSize=200"))["items"]!.AsArray().Count(e => e!["message"]?.GetValue<string>() == unique));
            case "webhooks":
                return new("webhooks", new { url = $"http://127.0.0.1:9/{unique}", events = new[] { "*" } }, new { url = $"http://127.0.0.1:9/{unique}-other", events = new[] { "*" } },
                    HttpStatusCode.Created, () => CountNamedAsync("webhooks", "url", $"http://127.0.0.1:9/{unique}"));
            case "erasures":
                // Erasures hold no name: the count is of erasure partitions, this route's only.
                return new("erasures", new { email = $"{unique}@idem.test" }, new { email = $"other-{unique}@idem.test" }, HttpStatusCode.Accepted, ErasuresAsync);
            case "customers":
                return new(name, new { kind = "company", name = unique }, new { kind = "company", name = unique + " other" }, HttpStatusCode.Created,
                    () => CountNamedAsync(name, "name", unique));
            default:
                return new(name, new { name = unique }, new { name = unique + " other" }, HttpStatusCode.Created, () => CountNamedAsync(name, "name", unique));
        }
    }

    private async Task<int> CountNamedAsync(string path, string field, string value) =>
        (await Client.GetJsonAsync($"{path}?pageSize=200"))["items"]!.AsArray().Count(i => i![field]?.GetValue<string>() == value);

    private async Task<int> ErasuresAsync()
    {
        var table = new TableClient(Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString, StorageNames.ErasuresTable);
        return (await table.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: Ct).ToListAsync(Ct)).Select(r => r.PartitionKey).Distinct().Count();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, string? Location)> PostAsync(string path, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        using var response = await Client.SendAsync(request, Ct);
        return (response.StatusCode, await response.JsonAsync(), response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_retry_with_the_key_creates_once_and_answers_the_first_resource_on_every_create_route()
    {
        foreach (var name in Routes)
        {
            var route = await RouteAsync(name);
            var key = $"retry-{name}-{Guid.NewGuid():N}";

            var first = await PostAsync(route.Path, route.Body, key);
            var again = await PostAsync(route.Path, route.Body, key);

            first.Status.Should().Be(route.Created, "{0}: {1}", name, first.Body);
            again.Status.Should().Be(route.Created, "{0}: a repeat answers as the first did: {1}", name, again.Body);
            again.Body["id"]!.GetValue<string>().Should().Be(first.Body["id"]!.GetValue<string>(), name);
            again.Location.Should().Be(first.Location, name);
            (await route.Count()).Should().Be(1, "{0} made its resource once", name);

            var reused = await PostAsync(route.Path, route.Other, key);
            reused.Status.Should().Be((HttpStatusCode)422, "{0}: {1}", name, reused.Body);
            reused.Body["title"]!.GetValue<string>().Should().Contain("Idempotency-Key reused");

            var tooLong = await PostAsync(route.Path, route.Other, new string('k', 201));
            tooLong.Status.Should().Be(HttpStatusCode.BadRequest, name);
            tooLong.Body["errors"]!.AsObject().Should().ContainKey("Idempotency-Key");
            var control = await PostAsync(route.Path, route.Other, "a\tb");
            control.Status.Should().Be(HttpStatusCode.BadRequest, name);
        }
    }

    [Fact]
    public async Task A_key_on_another_route_or_without_a_key_is_another_request()
    {
        var key = $"shared-{Guid.NewGuid():N}";
        var team = await PostAsync("teams", new { name = "Shared key" }, key);
        var person = await PostAsync("salespeople", new { name = "Shared key" }, key);
        team.Status.Should().Be(HttpStatusCode.Created);
        person.Status.Should().Be(HttpStatusCode.Created, "keys are scoped per route");

        var route = await RouteAsync("teams");
        (await PostAsync(route.Path, route.Body, null)).Status.Should().Be(HttpStatusCode.Created);
        (await PostAsync(route.Path, route.Body, null)).Status.Should().Be(HttpStatusCode.Created);
        (await route.Count()).Should().Be(2, "without a key every request is a new one");
    }

    [Theory]
    [InlineData("idempotency claimed")]
    [InlineData("idempotency created")]
    public async Task A_request_killed_after_its_claim_or_its_create_is_finished_by_its_retry_once_on_every_create_route(string at)
    {
        foreach (var name in Routes)
        {
            var route = await RouteAsync(name);
            var key = $"crash-{name}-{Guid.NewGuid():N}";
            var killed = 0;
            Faults.Reset((_, step) => step == at && Interlocked.Exchange(ref killed, 1) == 0);

            var dead = await PostAsync(route.Path, route.Body, key);
            dead.Status.Should().Be(HttpStatusCode.InternalServerError, "{0}: {1}", name, dead.Body);
            Faults.Reset();

            var retry = await RetryWhileInFlightAsync(route, key);
            retry.Status.Should().Be(route.Created, "{0}: {1}", name, retry.Body);
            var again = await PostAsync(route.Path, route.Body, key);
            again.Body["id"]!.GetValue<string>().Should().Be(retry.Body["id"]!.GetValue<string>(), name);
            (await route.Count()).Should().Be(1, "{0} made its resource once", name);
        }
    }

    [Fact]
    public async Task A_repeat_while_the_first_request_runs_is_a_retryable_409()
    {
        var route = await RouteAsync("leads");
        var key = $"busy-{Guid.NewGuid():N}";
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Faults.Hold = step =>
        {
            if (step != "idempotency claimed")
            {
                return Task.CompletedTask;
            }
            held.TrySetResult();
            return release.Task;
        };

        var first = PostAsync(route.Path, route.Body, key);
        await held.Task.WaitAsync(Api.Patience, Ct);
        using (var request = new HttpRequestMessage(HttpMethod.Post, route.Path) { Content = new StringContent(JsonSerializer.Serialize(route.Body), Encoding.UTF8, "application/json") })
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            using var busy = await Client.SendAsync(request, Ct);
            await busy.ShouldHaveStatusAsync(HttpStatusCode.Conflict);
            busy.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            busy.Headers.RetryAfter.Should().NotBeNull();
        }
        release.SetResult();
        var made = await first;

        made.Status.Should().Be(HttpStatusCode.Created);
        (await PostAsync(route.Path, route.Body, key)).Body["id"]!.GetValue<string>().Should().Be(made.Body["id"]!.GetValue<string>());
        (await route.Count()).Should().Be(1);
    }

    /// <summary>Retries until the dead request's claim is out of flight: 409 (retryable) until then.</summary>
    private async Task<(HttpStatusCode Status, JsonObject Body, string? Location)> RetryWhileInFlightAsync(Route route, string key)
    {
        var deadline = DateTimeOffset.UtcNow + Api.Patience;
        while (true)
        {
            var answer = await PostAsync(route.Path, route.Body, key);
            if (answer.Status != HttpStatusCode.Conflict || DateTimeOffset.UtcNow > deadline)
            {
                return answer;
            }
            answer.Body["title"]!.GetValue<string>().Should().Be("Request in progress.");
            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
        }
    }
}
