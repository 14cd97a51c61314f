using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// The app's tables and queue. Created on first use (once per process) so that a fresh Azurite
/// or a new storage account needs no set-up step.
/// </summary>
public sealed class StorageClients(TableServiceClient tables, QueueServiceClient queues)
{
    private Task? tablesCreated;
    private Task? queuesCreated;

    public TableClient Leads { get; } = tables.GetTableClient(StorageNames.LeadsTable);
    public TableClient Index { get; } = tables.GetTableClient(StorageNames.IndexTable);
    public TableClient Directory { get; } = tables.GetTableClient(StorageNames.DirectoryTable);
    public TableClient Capture { get; } = tables.GetTableClient(StorageNames.CaptureTable);
    public TableClient Idempotency { get; } = tables.GetTableClient(StorageNames.IdempotencyTable);
    public TableClient Merges { get; } = tables.GetTableClient(StorageNames.MergesTable);
    public TableClient List { get; } = tables.GetTableClient(StorageNames.ListTable);
    public TableClient Imports { get; } = tables.GetTableClient(StorageNames.ImportsTable);
    public TableClient Webhooks { get; } = tables.GetTableClient(StorageNames.WebhooksTable);
    public TableClient Erasures { get; } = tables.GetTableClient(StorageNames.ErasuresTable);
    public TableClient Secrets { get; } = tables.GetTableClient(StorageNames.SecretsTable);
    public TableClient Routing { get; } = tables.GetTableClient(StorageNames.RoutingTable);
    public QueueClient Ingest { get; } = queues.GetQueueClient(StorageNames.IngestQueue);
    public QueueClient ImportQueue { get; } = queues.GetQueueClient(StorageNames.ImportQueue);
    public QueueClient Outbox { get; } = queues.GetQueueClient(StorageNames.OutboxQueue);
    public QueueClient Events { get; } = queues.GetQueueClient(StorageNames.EventsQueue);
    public QueueClient WebhookQueue { get; } = queues.GetQueueClient(StorageNames.WebhookQueue);
    public QueueClient ErasureQueue { get; } = queues.GetQueueClient(StorageNames.ErasureQueue);
    public TableServiceClient TableService => tables;

    /// <summary>Creates the tables and queues once; a failed attempt is tried again on the next call.</summary>
    public Task EnsureCreatedAsync() => Task.WhenAll(EnsureTablesCreatedAsync(), EnsureQueuesCreatedAsync());

    /// <summary>The tables alone, so that a health probe of tables does not depend on queues.</summary>
    public Task EnsureTablesCreatedAsync() => Once(ref tablesCreated, () => Task.WhenAll(
        tables.CreateTableIfNotExistsAsync(StorageNames.LeadsTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.IndexTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.DirectoryTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.CaptureTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.IdempotencyTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.MergesTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.ListTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.ImportsTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.WebhooksTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.ErasuresTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.SecretsTable),
        tables.CreateTableIfNotExistsAsync(StorageNames.RoutingTable)));

    /// <summary>Tables answer: created, and a read of one of them goes through (a health probe).</summary>
    public async Task ProbeTablesAsync(CancellationToken ct)
    {
        await EnsureTablesCreatedAsync().WaitAsync(ct);
        await Leads.GetEntityIfExistsAsync<TableEntity>("health", "probe", cancellationToken: ct);
    }

    /// <summary>Queues answer: created, and one of them reads its properties (a health probe).</summary>
    public async Task ProbeQueuesAsync(CancellationToken ct)
    {
        await EnsureQueuesCreatedAsync().WaitAsync(ct);
        await Ingest.GetPropertiesAsync(ct);
    }

    /// <summary>The queues alone.</summary>
    public Task EnsureQueuesCreatedAsync() => Once(ref queuesCreated, () => Task.WhenAll(
        queues.GetQueueClient(StorageNames.IngestQueue).CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.IngestQueue + "-poison").CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.ImportQueue).CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.ImportQueue + "-poison").CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.OutboxQueue).CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.OutboxQueue + "-poison").CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.EventsQueue).CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.WebhookQueue).CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.WebhookQueue + "-poison").CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.ErasureQueue).CreateIfNotExistsAsync(),
        queues.GetQueueClient(StorageNames.ErasureQueue + "-poison").CreateIfNotExistsAsync()));

    private static Task Once(ref Task? slot, Func<Task> create)
    {
        var task = slot;
        if (task is null || task.IsFaulted || task.IsCanceled)
        {
            slot = task = create();
        }
        return task;
    }
}
