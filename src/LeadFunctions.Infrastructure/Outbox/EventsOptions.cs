namespace LeadFunctions.Infrastructure.Outbox;

/// <summary>Integration events (configuration section "Events", SPEC 6).</summary>
public sealed class EventsOptions
{
    /// <summary>The CloudEvents <c>source</c> of every event: a URI reference naming this deployment.</summary>
    public string Source { get; set; } = "/leadfunctions";

    /// <summary>An undelivered event older than this is woken again by the timer sweep.</summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromMinutes(2);

    public StorageQueueSinkOptions StorageQueue { get; set; } = new();

    public ServiceBusSinkOptions ServiceBus { get; set; } = new();

    public WebhookSinkOptions Webhooks { get; set; } = new();
}

/// <summary>What a sink's events carry (SPEC 4.5, 6).</summary>
public enum EventPayload
{
    /// <summary>The record after the change as <c>data</c>.</summary>
    Full,

    /// <summary>Ids, type and time, no <c>data</c>, and <c>dataref</c> pointing to the record: nothing an erasure would have to reach.</summary>
    Thin,
}

/// <summary>The <c>lead-events</c> queue on the app's own storage account: on by default, it costs nothing extra.</summary>
public sealed class StorageQueueSinkOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Thin by default: an erasure cannot take back a message it does not read, and anyone who can
    /// read the account's queues could read the people in it.
    /// </summary>
    public EventPayload Payload { get; set; } = EventPayload.Thin;
}

/// <summary>A Service Bus topic; on when a namespace (managed identity) or a connection string is set.</summary>
public sealed class ServiceBusSinkOptions
{
    public string? FullyQualifiedNamespace { get; set; }

    public string? ConnectionString { get; set; }

    public string Topic { get; set; } = "lead-events";

    /// <summary>Full by default: the topic's subscribers are told <c>lead.erased</c> and can forget.</summary>
    public EventPayload Payload { get; set; } = EventPayload.Full;

    public bool Enabled => !string.IsNullOrWhiteSpace(FullyQualifiedNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary>Webhook subscriptions: always on (a subscription is made through the API); how they are delivered.</summary>
public sealed class WebhookSinkOptions
{
    /// <summary>Lets subscriptions post to this machine, over http:// too: for development, never in Azure.</summary>
    public bool AllowInsecureLocal { get; set; }

    /// <summary>How long a failed delivery is tried again, from its first try, before it is dead-lettered.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait before the first retry; each one after waits twice as long.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a receiver has to answer one delivery.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Full by default: a subscriber can take <c>lead.erased</c> and forget; the delivery log is erased with the record.</summary>
    public EventPayload Payload { get; set; } = EventPayload.Full;
}
