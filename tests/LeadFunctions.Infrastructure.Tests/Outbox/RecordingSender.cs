using Azure.Messaging.ServiceBus;

namespace LeadFunctions.Infrastructure.Tests.Outbox;

/// <summary>
/// A Service Bus sender as the SDK lets tests make one (its protected constructor and
/// <see cref="ServiceBusModelFactory"/> batches): it keeps what it is given and fails when told.
/// </summary>
internal sealed class RecordingSender : ServiceBusSender
{
    private readonly List<ServiceBusMessage> sent = [];

    public IReadOnlyList<ServiceBusMessage> Sent => sent;

    /// <summary>Sends that fail with a transient error before one gets through.</summary>
    public int FailuresLeft { get; set; }

    /// <summary>Messages a batch takes (the real limit is in bytes).</summary>
    public int BatchCapacity { get; set; } = 100;

    public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
    {
        var store = new List<ServiceBusMessage>();
        var batch = ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, store, tryAddCallback: _ => store.Count < BatchCapacity);
        stores[batch] = store;
        return ValueTask.FromResult(batch);
    }

    public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default) =>
        Send(stores[messageBatch]);

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default) => Send([message]);

    private Task Send(IReadOnlyList<ServiceBusMessage> messages)
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new ServiceBusException(isTransient: true, "The namespace is busy (test).", reason: ServiceBusFailureReason.ServiceBusy);
        }
        sent.AddRange(messages);
        return Task.CompletedTask;
    }

    // The factory's batch keeps its messages in the list it was given; the batch itself shows only a count.
    private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> stores = [];
}
