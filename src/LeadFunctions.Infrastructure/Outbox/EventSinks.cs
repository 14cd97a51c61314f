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
/// queue-triggered function reads it by default), thin unless set to full (SPEC 4.5). An event too
/// large for a message goes thin whatever the setting. Messages live <paramref name="timeToLive"/>
/// (Retention:SentEvents): an erasure does not read this queue, so what it holds must go by itself.
/// </summary>
public sealed class StorageQueueSink(StorageClients clients, StorageQueueSinkOptions options, TimeSpan timeToLive) : IEventSink
{
    public const string QueueName = StorageNames.EventsQueue;

    public string Name => "storage queue";

    public async Task SendAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        foreach (var e in events)
        {
            var json = EventEnvelope.ForSink(e.Json, options.Payload, Encoding.UTF8.GetByteCount(e.Json) <= IngestQueue.MaxMessageBytes);
            await clients.Events.SendMessageAsync(json, visibilityTimeout: null, timeToLive: timeToLive, cancellationToken: ct);
        }
    }
}
