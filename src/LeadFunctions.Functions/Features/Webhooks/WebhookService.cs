using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Webhooks;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.Infrastructure.Webhooks;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Webhooks;

/// <summary>
/// Webhook subscriptions through the API (SPEC 5, 6): made, listed, changed, deleted, their log
/// read, a ping sent. Who did each is recorded (SPEC 10): createdBy and updatedBy on the
/// subscription, requestedBy on a ping's delivery and the ping event's actor; a delete leaves no
/// record to hold it, so the host's log says who deleted what.
/// </summary>
public sealed class WebhookService(
    WebhookStore store,
    WebhookTargets targets,
    WebhookDeliverer deliverer,
    EventsOptions options,
    TimeProvider clock,
    ILogger<WebhookService> logger)
{
    private const string What = "webhook";

    /// <returns>The subscription and its signing secret, which is never shown again.</returns>
    /// <param name="id">Chosen by the caller, so that a retry under the same Idempotency-Key makes the same subscription.</param>
    public async Task<(Webhook Webhook, string Secret)> CreateAsync(Webhook webhook, string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        webhook.Id = id;
        webhook.CreatedAt = now;
        // Set by the server whatever the body says, like the id and the time.
        webhook.CreatedBy = ActorScope.Current;
        webhook.UpdatedAt = null;
        webhook.UpdatedBy = null;
        await ValidateAsync(webhook, ct);
        var secret = WebhookSignature.NewSecret();
        await store.InsertAsync(webhook, secret, ct);
        return (webhook, secret);
    }

    /// <summary>The subscription with its secret, for a create's repeat to answer as the create did; null when there is none.</summary>
    public async Task<(Webhook Webhook, string Secret)?> FindWithSecretAsync(string id, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } found ? (found.Webhook, found.Secret) : null;

    public async Task<Webhook> GetAsync(string id, CancellationToken ct) =>
        (await store.FindAsync(id, ct))?.Webhook ?? throw new NotFoundException(What, id);

    public Task<Page<Webhook>> ListAsync(int pageSize, string? continuationToken, CancellationToken ct) =>
        store.ListAsync(pageSize, continuationToken, ct);

    /// <summary>JSON merge patch; the id, creation time and secret stay. Conditional on the version read, tried again when it moved.</summary>
    public async Task<Webhook> PatchAsync(string id, MergePatch patch, CancellationToken ct)
    {
        try
        {
            return await Retry.OnConflictAsync(async ct =>
            {
                var (current, _, etag) = await store.FindAsync(id, ct) ?? throw new NotFoundException(What, id);
                var merged = patch.ApplyTo(JsonSerializer.SerializeToNode(current, JsonDefaults.Options));
                var changed = JsonInput.Deserialize<Webhook>(merged);
                changed.Id = current.Id;
                changed.CreatedAt = current.CreatedAt;
                changed.CreatedBy = current.CreatedBy;
                changed.UpdatedAt = clock.GetUtcNow();
                changed.UpdatedBy = ActorScope.Current;
                await ValidateAsync(changed, ct);
                await store.ReplaceAsync(changed, etag, ct);
                return changed;
            }, ct);
        }
        catch (ConcurrencyException)
        {
            throw new PreconditionFailedException("The webhook kept changing while it was being updated; try again.");
        }
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id) || !await store.DeleteAsync(id, ct))
        {
            throw new NotFoundException(What, id);
        }
        // Kind and id only: the log is telemetry, which holds no one's name.
        var actor = ActorScope.Current;
        logger.LogInformation("Webhook {WebhookId} deleted by {ActorKind} {ActorId}", id, Domain.Events.EventActor.KindName(actor.Kind), actor.Id ?? "-");
    }

    public async Task<Page<WebhookDelivery>> DeliveriesAsync(string id, int pageSize, string? continuationToken, CancellationToken ct)
    {
        _ = await GetAsync(id, ct);
        return await store.DeliveriesAsync(id, pageSize, continuationToken, ct);
    }

    /// <summary>
    /// Sends a <see cref="WebhookRules.PingType"/> event now, active or not, and answers with how it
    /// went; recorded in the log like any delivery, but tried once.
    /// </summary>
    public async Task<WebhookDelivery> PingAsync(string id, CancellationToken ct)
    {
        var (webhook, secret, _) = await store.FindAsync(id, ct) ?? throw new NotFoundException(What, id);
        var now = clock.GetUtcNow();
        var pingId = Ids.New(now);
        var actor = ActorScope.Current;
        var ping = EventEnvelope.Create(options.Source, WebhookRules.PingType, webhook.Id, pingId, now,
            new JsonObject { ["webhookId"] = webhook.Id, ["message"] = "A test ping: this webhook receives LeadFunctions events." }, actor);
        var delivery = new WebhookDelivery
        {
            Id = pingId,
            WebhookId = webhook.Id,
            EventType = WebhookRules.PingType,
            Subject = webhook.Id,
            Status = DeliveryStatus.Pending,
            CreatedAt = now,
            RequestedBy = actor,
        };
        var stored = await store.AddDeliveryAsync(delivery, EventEnvelope.Serialize(ping), ct);
        var outcome = await deliverer.TryAsync(webhook, secret, stored, ct);
        if (!outcome.Delivered)
        {
            stored.Delivery.Status = DeliveryStatus.Failed;
        }
        await store.TryUpdateDeliveryAsync(stored.Delivery, stored.Payload, stored.Version, ct);
        return stored.Delivery;
    }

    /// <summary>One validation pass: the fields, then (when they hold) where the address resolves to.</summary>
    private async Task ValidateAsync(Webhook webhook, CancellationToken ct)
    {
        var errors = WebhookRules.Check(webhook, targets.AllowInsecureLocal);
        if (!errors.Contains("url") && await targets.ProblemAsync(webhook.Url, ct) is { } problem)
        {
            errors.Add("url", problem);
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
        WebhookRules.Normalize(webhook);
    }
}
