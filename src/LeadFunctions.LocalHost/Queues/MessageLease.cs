using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using LeadFunctions.Infrastructure.Tables;
using OpenTelemetry;

namespace LeadFunctions.LocalHost.Queues;

/// <summary>
/// Keeps a received message invisible while its invocation runs, as the Azure host does (it renews
/// the visibility at half the lease): a long execution is not handed to a second instance. A killed
/// host renews nothing, so its in-flight messages still come back one lease after it died.
/// </summary>
internal sealed class MessageLease : IAsyncDisposable
{
    private readonly QueueClient queue;
    private readonly string messageId;
    private readonly TimeSpan visibility;
    private readonly string function;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;

    public MessageLease(QueueClient queue, QueueMessage message, TimeSpan visibility, string function, ILogger logger)
    {
        this.queue = queue;
        messageId = message.MessageId;
        PopReceipt = message.PopReceipt;
        this.visibility = visibility;
        this.function = function;
        this.logger = logger;
        renewing = RenewAsync();
    }

    /// <summary>The receipt of the last renewal: settling the message needs the newest one.</summary>
    public string PopReceipt { get; private set; }

    /// <summary>Stops renewing and gives the receipt to settle the message with.</summary>
    public async Task<string> EndAsync()
    {
        await stop.CancelAsync();
        await renewing;
        return PopReceipt;
    }

    private async Task RenewAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(visibility / 2, stop.Token);
                using var quiet = SuppressInstrumentationScope.Begin();
                // Keeping the lease is part of what the invocation costs.
                using var attribution = StorageRequests.For(function);
                // Not cancelled by the end of the invocation: a renewal the server applied must be
                // seen here, or the message would be settled with a receipt that no longer holds.
                var receipt = await queue.UpdateMessageAsync(messageId, PopReceipt, visibilityTimeout: visibility, cancellationToken: CancellationToken.None);
                PopReceipt = receipt.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RequestFailedException ex)
        {
            // The message is visible again (the receipt was lost); whoever settles it will find out.
            logger.LogWarning(ex, "Renewing the lease of message {MessageId} of queue {Queue} failed.", messageId, queue.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync();
        stop.Dispose();
    }
}
