using System.Text;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Outbox;

/// <summary>Where events go (SPEC 6). A sink sends a record's events in the order given, or throws.</summary>
public interface IEventSink
{
    string Name { get; }

    Task SendAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct);
}

/// <summary>
/// The <c>lead-events</c> storage queue: each event as one CloudEvents JSON message (base64, as a
/// queue-triggered function reads it by default). An event too large for a message goes without
/// its data, pointing to the record (<c>dataref</c>).
/// </summary>
public sealed class StorageQueueSink(StorageClients clients) : IEventSink
{
    public const string QueueName = StorageNames.EventsQueue;

    public string Name => "storage queue";

    public async Task SendAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        foreach (var e in events)
        {
            var json = Encoding.UTF8.GetByteCount(e.Json) <= IngestQueue.MaxMessageBytes
                ? e.Json
                : EventEnvelope.Serialize(EventEnvelope.WithoutData(EventEnvelope.Parse(e.Json)));
            // Never expires: a consumer away for more than a week still finds it.
            await clients.Events.SendMessageAsync(json, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: ct);
        }
    }
}
