using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Webhooks;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Webhooks;

/// <summary>
/// Webhooks as an event sink: for each event and each active subscription that wants its type, a
/// delivery in the subscription's log and a message that makes its first try. Posting happens in
/// the delivery function, so a slow or failing receiver never holds up the record's other sinks
/// or its next events; in exchange, webhooks are not kept in order (each carries its time).
/// </summary>
public sealed class WebhookSink(WebhookStore store, WebhookQueue queue, WebhookSinkOptions options, WriteFaults faults, TimeProvider clock) : IEventSink
{
    public string Name => "webhooks";

    public async Task SendAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var webhooks = await store.AllCachedAsync(ct);
        if (webhooks.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        foreach (var e in events.Where(e => Ids.IsWellFormed(e.Id)))
        {
            foreach (var webhook in webhooks.Where(w => WebhookRules.Wants(w, e.Type)))
            {
                var delivery = new WebhookDelivery
                {
                    Id = e.Id,
                    WebhookId = webhook.Id,
                    EventType = e.Type,
                    Subject = e.LeadId,
                    Status = DeliveryStatus.Pending,
                    CreatedAt = now,
                };
                var stored = await store.AddDeliveryAsync(delivery, Payload(e.Json), ct);
                await faults.AfterWriteAsync("webhook delivery written");
                // Written by a dispatch that died before its message went: the message goes now.
                if (stored.Delivery is { Status: DeliveryStatus.Pending, Attempts: 0 })
                {
                    await queue.SendAsync(new WebhookMessage(webhook.Id, e.Id, 0), null, ct);
                }
            }
        }
    }

    /// <summary>The event as sent, in the sink's payload mode; one too large to keep beside its log entry goes thin.</summary>
    private string Payload(string json) => EventEnvelope.ForSink(json, options.Payload, json.Length <= JsonRow.MaxJsonLength - 4096);
}
