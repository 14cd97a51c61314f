using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Model;

/// <summary>
/// An event subscription (SPEC 6): the HTTPS address that receives the events of the listed types,
/// signed with a secret shown once, when the subscription is made.
/// </summary>
public sealed class Webhook : IDirectoryRecord
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";

    /// <summary>Event types ("com.leadfunctions.lead.created"), or "*" for every type.</summary>
    public List<string> Events { get; set; } = [];

    public bool Active { get; set; } = true;
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who made the subscription (SPEC 10); set by the server, never taken from a request body.</summary>
    public Actor? CreatedBy { get; set; }

    /// <summary>When and by whom it was last changed; null until its first change.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    public Actor? UpdatedBy { get; set; }
}

/// <summary>Failed is a test ping's failed try (pings are tried once); DeadLettered an event still failing when its retry window ended.</summary>
public enum DeliveryStatus { Pending, Retrying, Delivered, Failed, DeadLettered, Cancelled }

/// <summary>One event on its way to one subscription: an entry of the subscription's delivery log.</summary>
public sealed class WebhookDelivery
{
    /// <summary>The event's id: an event is delivered once per subscription, retries included.</summary>
    public string Id { get; set; } = "";
    public string WebhookId { get; set; } = "";
    public string EventType { get; set; } = "";

    /// <summary>The record the event is about.</summary>
    public string? Subject { get; set; }

    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>
    /// Who asked for this delivery: set on a test ping (POST /webhooks/{id}/test); null on an
    /// event's delivery, whose event carries the actor of its change itself.
    /// </summary>
    public Actor? RequestedBy { get; set; }
}
