namespace LeadFunctions.Storage.Events;

/// <summary>"Deliver the events waiting in this record's outbox."</summary>
public sealed record OutboxMessage(string LeadId);

/// <summary>Wakes the dispatcher for one record (the queue-triggered DispatchEvents function).</summary>
public sealed class OutboxQueue(StorageClients clients)
{
    public async Task WakeAsync(string leadId, CancellationToken ct, TimeSpan? delay = null)
    {
        await clients.EnsureCreatedAsync();
        await clients.Outbox.SendMessageAsync(JsonRow.Serialize(new OutboxMessage(leadId)), visibilityTimeout: delay, cancellationToken: ct);
    }
}
