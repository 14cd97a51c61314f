using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Webhooks;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.Infrastructure.Webhooks;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Webhooks;

/// <summary>
/// Makes the tries of a delivery (SPEC 6): posts the event; on a failure sends the next try's
/// message, delayed by the backoff, before it records the failure (a crash between the two makes
/// one try too many, never one too few); once the retry window is over, the delivery is
/// dead-lettered and stays in the log. A message that is behind the delivery's log (a duplicate
/// of a try already made) does nothing.
/// </summary>
public sealed class WebhookDeliverer(
    WebhookStore store,
    WebhookQueue queue,
    WebhookSender sender,
    WebhookSinkOptions options,
    WriteFaults faults,
    TimeProvider clock,
    ILogger<WebhookDeliverer> logger)
{
    public async Task DeliverAsync(WebhookMessage message, CancellationToken ct)
    {
        if (await store.FindDeliveryAsync(message.WebhookId, message.DeliveryId, ct) is not { } stored)
        {
            return;
        }
        var delivery = stored.Delivery;
        if (delivery.Status is not (DeliveryStatus.Pending or DeliveryStatus.Retrying) || delivery.Attempts > message.Attempt)
        {
            return;
        }
        if (await store.FindAsync(message.WebhookId, ct) is not { Webhook.Active: true } found)
        {
            delivery.Status = DeliveryStatus.Cancelled;
            delivery.NextAttemptAt = null;
            delivery.LastError = "The webhook was deleted or deactivated before the event was delivered.";
            await store.TryUpdateDeliveryAsync(delivery, stored.Payload, stored.Version, ct);
            return;
        }
        var outcome = await TryAsync(found.Webhook, found.Secret, stored, ct);
        // Dying here (tried, not recorded) makes the queue's retry post the same event again.
        await faults.AfterWriteAsync("webhook tried");
        var now = clock.GetUtcNow();
        Azure.Storage.Queues.Models.SendReceipt? next = null;
        if (!outcome.Delivered)
        {
            if (RetrySchedule.Next(delivery.CreatedAt, delivery.Attempts, now, options.FirstRetryAfter, options.RetryWindow) is { } at)
            {
                delivery.Status = DeliveryStatus.Retrying;
                delivery.NextAttemptAt = at;
                next = await queue.SendAsync(message with { Attempt = delivery.Attempts }, at - now, ct);
            }
            else
            {
                delivery.Status = DeliveryStatus.DeadLettered;
                delivery.NextAttemptAt = null;
                logger.LogWarning("Webhook {WebhookId} dead-lettered event {EventId} after {Attempts} tries: {Error}", delivery.WebhookId, delivery.Id, delivery.Attempts, delivery.LastError);
            }
        }
        if (!await store.TryUpdateDeliveryAsync(delivery, stored.Payload, stored.Version, ct) && next is not null)
        {
            // Another try of the same delivery was recorded first: its own next message carries on.
            await queue.DeleteAsync(next, ct);
        }
    }

    /// <summary>One try, recorded on the delivery (not yet stored): tries, time, answer, and delivered when it was.</summary>
    public async Task<DeliveryOutcome> TryAsync(Webhook webhook, string secret, StoredDelivery stored, CancellationToken ct)
    {
        var outcome = await sender.PostAsync(webhook.Url, secret, stored.Delivery.Id, stored.Payload, ct);
        var delivery = stored.Delivery;
        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = outcome.StatusCode;
        delivery.LastError = outcome.Error;
        if (outcome.Delivered)
        {
            delivery.Status = DeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            delivery.NextAttemptAt = null;
        }
        return outcome;
    }
}
