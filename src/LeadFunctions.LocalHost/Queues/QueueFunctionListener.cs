using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.LocalHost.Metadata;
using OpenTelemetry;

namespace LeadFunctions.LocalHost.Queues;

/// <summary>Polls one queue for one queueTrigger function with the Azure host's retry and poison semantics.</summary>
internal sealed class QueueFunctionListener : BackgroundService
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    private readonly FunctionDescriptor function;
    private readonly QueueClient queue;
    private readonly QueueClient poisonQueue;
    private readonly HostJsonSettings settings;
    private readonly TimeSpan lease;
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger logger;
    private readonly QueueMessageBinder binder;
    private readonly FunctionMethodInvoker invoker;
    private readonly FunctionExecutions executions;

    public QueueFunctionListener(
        FunctionDescriptor function, QueueMessageBinder binder, QueueServiceClient queues, HostJsonSettings settings, TimeSpan lease, IServiceScopeFactory scopes, ILoggerFactory loggerFactory,
        FunctionExecutions executions)
    {
        this.executions = executions;
        this.function = function;
        this.settings = settings;
        this.lease = lease;
        this.scopes = scopes;
        logger = loggerFactory.CreateLogger($"Function.{function.Name}");
        queue = queues.GetQueueClient(function.Queue!.QueueName);
        poisonQueue = queues.GetQueueClient(function.Queue.QueueName + "-poison");
        this.binder = binder;
        invoker = new FunctionMethodInvoker(function);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var running = new HashSet<Task>();
        var delay = MinimumPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Like the Azure host, fetch again once few enough messages are still running, so one
            // slow message does not hold back the messages behind it.
            running.RemoveWhere(t => t.IsCompleted);
            if (running.Count > settings.NewBatchThreshold)
            {
                await Task.WhenAny(running);
                continue;
            }

            try
            {
                QueueMessage[] messages = await ReceiveAsync(stoppingToken);
                if (messages.Length > 0)
                {
                    running.UnionWith(messages.Select(m => ProcessAsync(m, stoppingToken)));
                    delay = MinimumPollingInterval;
                    continue;
                }

            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Polling queue {Queue} for {Function} failed; retrying.", queue.Name, function.Name);
            }

            // An idle queue costs few requests, yet a new message waits at most maxPollingInterval.
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(settings.MaxPollingInterval.Ticks, MinimumPollingInterval.Ticks)));
        }

        // Stopping: let running invocations see the cancellation and settle before the host goes.
        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The host's own polling is not the app's work: on Azure it happens outside the worker and
    /// never shows in its telemetry, so here it is kept out of traces too (it would flood them).
    /// </summary>
    private async Task<QueueMessage[]> ReceiveAsync(CancellationToken stoppingToken)
    {
        using var quiet = SuppressInstrumentationScope.Begin();
        QueueMessage[] messages;
        using (StorageRequests.For(FunctionExecutions.Polling))
        {
            messages = await queue.ReceiveMessagesAsync(settings.BatchSize, lease, stoppingToken);
        }
        if (messages.Length > 0)
        {
            // A poll that brought work is part of what that work costs.
            executions.HostRequests.Reattribute(FunctionExecutions.Polling, function.Name, "queue");
        }
        return messages;
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            bool succeeded;
            string popReceipt;
            await using (var held = new MessageLease(queue, message, lease, function.Name, logger))
            {
                succeeded = await InvokeAsync(message, stoppingToken);
                popReceipt = await held.EndAsync();
            }
            using var quiet = SuppressInstrumentationScope.Begin();
            // Settling a message is part of what its invocation costs.
            using var attribution = StorageRequests.For(function.Name);
            if (succeeded)
            {
                await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, popReceipt);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (RequestFailedException ex)
        {
            // Typically a lost pop receipt: the message is visible again and will be retried; the others go on.
            logger.LogWarning(ex, "Settling message {MessageId} of queue {Queue} failed.", message.MessageId, queue.Name);
        }
    }

    private async Task<bool> InvokeAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var body = Decode(message);
            await using var scope = scopes.CreateAsyncScope();
            await invoker.InvokeAsync(scope.ServiceProvider, binder.Bind(body, message, logger, stoppingToken));
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown is no failure: the message comes back after its visibility without using up a try.
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Function {Function} failed on message {MessageId} (try {DequeueCount} of {MaxDequeueCount}).",
                function.Name, message.MessageId, message.DequeueCount, settings.MaxDequeueCount);
            return false;
        }
    }

    private BinaryData Decode(QueueMessage message)
    {
        if (!settings.Base64MessageEncoding)
        {
            return message.Body;
        }

        var text = message.MessageText;
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written)
            ? new BinaryData(bytes.AsMemory(0, written))
            : throw new FormatException($"Message {message.MessageId} is not base64 while host.json says messageEncoding base64.");
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt)
    {
        await poisonQueue.CreateIfNotExistsAsync();
        await poisonQueue.SendMessageAsync(message.MessageText);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt);
        logger.LogError("Message {MessageId} moved to {PoisonQueue} after {DequeueCount} tries.", message.MessageId, poisonQueue.Name, message.DequeueCount);
    }
}
