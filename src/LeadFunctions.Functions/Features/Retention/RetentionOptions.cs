namespace LeadFunctions.Functions.Features.Retention;

/// <summary>How long the clean-up keeps what only serves for a while (configuration section "Retention", SPEC 4.7).</summary>
public sealed class RetentionOptions
{
    /// <summary>An Idempotency-Key answers its first request's resource this long; the same key after it is a new request.</summary>
    public TimeSpan IdempotencyKeys { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A key whose first request has not finished answers 409 this long; after it the request is
    /// taken for dead and a retry finishes its work. Longer than a create takes, far shorter than
    /// a client would wait.
    /// </summary>
    public TimeSpan IdempotencyInFlight { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A delivered event's outbox row stays this long after it was sent (for inspection), then goes.</summary>
    public TimeSpan SentEvents { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A webhook delivery that is over (delivered, failed, dead-lettered, cancelled) stays in the log this long.</summary>
    public TimeSpan WebhookDeliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// An aborted or undone merge keeps its working rows (images, moved-row list, undo images) this
    /// long, then only its journal row stays. An applied merge keeps everything: it can be undone.
    /// </summary>
    public TimeSpan FinishedMerges { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A finished import keeps its rows, refused rows and claims this long (they hold the people it
    /// imported, and serve only to look into it or to answer a repeat of it), then only its summary.
    /// </summary>
    public TimeSpan Imports { get; set; } = TimeSpan.FromDays(30);
}
