
namespace LeadFunctions.Infrastructure.Tables;

/// <summary>Tables and queues of the app, and the row key layout of a lead's partition.</summary>
public static class StorageNames
{
    /// <summary>One partition per lead: the record, its similar-record edges, dismissals and log.</summary>
    public const string LeadsTable = "leads";

    /// <summary>Secondary index: PartitionKey = match key ("email:ann@acme.test"), RowKey = lead id.</summary>
    public const string IndexTable = "leadindex";

    /// <summary>Customers, teams, salespeople and settings.</summary>
    public const string DirectoryTable = "directory";

    /// <summary>Capture guards: rate-limit counters and idempotency claims.</summary>
    public const string CaptureTable = "capture";

    /// <summary>Idempotency-Key claims of the creates other than capture and import: one partition per operation (see Idempotency.IdempotencyKeys).</summary>
    public const string IdempotencyTable = "idempotency";

    /// <summary>The list projection: one partition per value a record is listed by (see LeadList).</summary>
    public const string ListTable = "leadlist";

    /// <summary>Merge journals: one partition per merge (see MergeStore).</summary>
    public const string MergesTable = "merges";

    public const string IngestQueue = "lead-ingest";

    /// <summary>Imports: one partition per import (see ImportStore).</summary>
    public const string ImportsTable = "imports";

    /// <summary>One message per chunk of an import's rows.</summary>
    public const string ImportQueue = "lead-import";

    /// <summary>Wakes the event dispatcher for one record (see Events.OutboxDispatcher).</summary>
    public const string OutboxQueue = "lead-outbox";

    /// <summary>The storage queue sink of integration events, read by the app's users (SPEC 6).</summary>
    public const string EventsQueue = "lead-events";

    /// <summary>Webhook subscriptions and their delivery logs (see Webhooks.WebhookStore).</summary>
    public const string WebhooksTable = "webhooks";

    /// <summary>One message per webhook delivery attempt, delayed for retries.</summary>
    public const string WebhookQueue = "webhook-deliveries";

    /// <summary>Erasures: one partition per erasure, its receipt and, while it runs, its plan (see Erasure.ErasureStore).</summary>
    public const string ErasuresTable = "erasures";

    /// <summary>The Data Protection key ring and the keyed-hash key, each protected by the ring (SPEC 4.5).</summary>
    public const string SecretsTable = "secrets";

    /// <summary>Lead routing (SPEC 11): each salesperson's recent assignments, the records waiting for someone, the answers due. Ids and times only.</summary>
    public const string RoutingTable = "routing";

    /// <summary>Runs (and, after a crash, resumes) an erasure.</summary>
    public const string ErasureQueue = "lead-erasure";

    // Row keys inside a lead's partition, chosen so that one range query (RowKey < "e")
    // returns the record, its edges and dismissals without its log.
    public const string LeadRow = "a";
    public const string EdgePrefix = "b|";
    public const string DismissedPrefix = "d|";
    public const string LogPrefix = "l|";
    // Outbox rows ("o|…", see Events.OutboxRows) sort after the log.
    public const string SimilarRangeEnd = "e";
}
