using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Actors;

/// <summary>
/// A host for the actor tests (SPEC 10): queues running, full events on the <c>lead-events</c>
/// queue (so that each shows its data), loopback webhooks and quick merges and erasures. Most
/// tests here call the app's services inside <see cref="Infrastructure.Access.ActorScope.Begin"/>
/// (as the HTTP functions do once they have authorized a request), to reach the paths a crash
/// takes; <see cref="ActorsOverHttpTests"/> makes every change over HTTP with real credentials.
/// </summary>
public abstract class ActorHost() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Events:StorageQueue:Payload"] = "Full",
    ["Events:Webhooks:AllowInsecureLocal"] = "true",
    ["Merges:StaleAfter"] = "00:00:02",
    ["Erasure:SettleAfter"] = "00:00:02",
})
{
    protected static readonly Actor Lea = Actor.Person("01JLEAMARTIN00000000000001", "Lea Martin");
    protected static readonly Actor Bob = Actor.Person("01JBOBSTONE000000000000002", "Bob Stone");

    /// <summary>Generous: a wait ends as soon as its condition holds, and two busy cores run the background late.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>The record's history as GET /leads/{id}/log answers it, newest first.</summary>
    protected async Task<List<JsonObject>> LogAsync(string id) =>
        [.. (await Client.GetJsonAsync($"leads/{id}/log?pageSize=200"))["items"]!.AsArray().Select(e => e!.AsObject())];

    protected static JsonObject Entry(IEnumerable<JsonObject> log, string kind) =>
        log.Single(e => e["kind"]!.GetValue<string>() == kind);

    /// <summary>The actor as the API writes it: {kind, id, name}.</summary>
    protected static string Json(Actor actor) => JsonSerializer.Serialize(actor, JsonDefaults.Options);

    /// <summary>The event of this type about the record, as the queue received it.</summary>
    protected static JsonObject Event(EventQueue events, string subject, string type) =>
        events.About(subject).Single(e => e["type"]!.GetValue<string>() == "com.leadfunctions." + type);

    /// <summary>The event tells its actor twice: the attribute (kind, and id when there is one) and data.actor whole.</summary>
    protected static void ShouldTell(JsonObject cloudEvent, Actor actor, string attribute)
    {
        cloudEvent["actor"]!.GetValue<string>().Should().Be(attribute, "the actor extension attribute of {0}", cloudEvent["type"]);
        cloudEvent["data"]!["actor"]!.ToJsonString().Should().Be(Json(actor), "data.actor of {0}", cloudEvent["type"]);
    }

    /// <summary>Reads until the condition holds; fails with the last read after <see cref="Patience"/>.</summary>
    protected static async Task<JsonObject> UntilAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            DateTime.UtcNow.Should().BeBefore(deadline, "{0}; last read: {1}", because, value.ToJsonString());
            await Task.Delay(100, Ct);
        }
    }
}
