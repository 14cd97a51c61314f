using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Infrastructure.Outbox;

/// <summary>"Deliver the events waiting in this record's outbox."</summary>
public sealed record OutboxMessage(string LeadId);

/// <summary>Wakes the dispatcher for one record (the queue-triggered DispatchEvents function).</summary>
public sealed class OutboxQueue(StorageClients clients, ILogger<OutboxQueue>? logger = null)
{
    /// <summary>
    /// A wake after a change that is already written: failing to send it must not answer that
    /// change with an error (a retry would make it twice); the timer sweep delivers instead.
    /// </summary>
    public async Task TryWakeAsync(string leadId, CancellationToken ct)
    {
        try
        {
            await WakeAsync(leadId, ct);
        }
        catch (Azure.RequestFailedException e)
        {
            logger?.LogWarning(e, "Waking the dispatcher for record {LeadId} failed; the outbox sweep delivers its events", leadId);
        }
    }

    public async Task WakeAsync(string leadId, CancellationToken ct, TimeSpan? delay = null)
    {
        await clients.EnsureCreatedAsync();
        await clients.Outbox.SendMessageAsync(JsonRow.Serialize(new OutboxMessage(leadId)), visibilityTimeout: delay, cancellationToken: ct);
    }
}
