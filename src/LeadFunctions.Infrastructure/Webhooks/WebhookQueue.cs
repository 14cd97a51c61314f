using Azure.Storage.Queues.Models;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Webhooks;

/// <summary>"Try this delivery": <paramref name="Attempt"/> is the number of tries made when the message was sent.</summary>
public sealed record WebhookMessage(string WebhookId, string DeliveryId, int Attempt);

/// <summary>The <c>webhook-deliveries</c> queue: one message per try, a retry sent with its backoff as the message's delay.</summary>
public sealed class WebhookQueue(StorageClients clients)
{
    /// <summary>Storage queue messages can be hidden for at most 7 days.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public async Task<SendReceipt> SendAsync(WebhookMessage message, TimeSpan? delay, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var visibility = delay is { } d ? TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(d.TotalSeconds), 0, MaxDelay.TotalSeconds)) : (TimeSpan?)null;
        return (await clients.WebhookQueue.SendMessageAsync(JsonRow.Serialize(message), visibility, timeToLive: TimeSpan.FromSeconds(-1), ct)).Value;
    }

    /// <summary>Takes back a message that turned out not to be needed (another try got there first).</summary>
    public async Task DeleteAsync(SendReceipt receipt, CancellationToken ct)
    {
        try
        {
            await clients.WebhookQueue.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
