using LeadFunctions.Domain.Access;
using System.Text.Json.Nodes;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.OpenApi;
using LeadFunctions.Infrastructure;

namespace LeadFunctions.Functions.Features.Webhooks;

/// <summary>The Webhooks routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class WebhooksApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/webhooks", "createWebhook", OpenApiTags.Webhooks,
            "Subscribe an HTTPS address to event types (\"*\" for all). Each delivery is a CloudEvent signed as Standard Webhooks says (webhook-id, webhook-timestamp, webhook-signature); the answer shows the signing secret, once.",
            new Answer(201, "Created, with its secret.", "CreatedWebhook", "Location"))
        { Role = Role.Admin, Request = new Body("WebhookInput"), RequestHeaders = ["Idempotency-Key"], Errors = [409, 422] },
        new("get", "/webhooks", "listWebhooks", OpenApiTags.Webhooks, "Page through webhook subscriptions (without their secrets).",
            new Answer(200, "A page of webhooks.", "WebhookPage"))
        { Role = Role.Admin, Paged = true },
        new("get", "/webhooks/{id}", "getWebhook", OpenApiTags.Webhooks, "One webhook subscription.",
            new Answer(200, "The webhook.", "Webhook"))
        { Role = Role.Admin },
        new("patch", "/webhooks/{id}", "patchWebhook", OpenApiTags.Webhooks, "Change a subscription (JSON merge patch): its address, event types, description, or active.",
            new Answer(200, "The webhook.", "Webhook"),
            new Answer(412, "The webhook kept changing while it was being updated.", "Problem"))
        { Role = Role.Admin, Request = new Body("WebhookPatch", MergePatch: true) },
        new("delete", "/webhooks/{id}", "deleteWebhook", OpenApiTags.Webhooks, "Delete a subscription and its delivery log; deliveries still queued stop.",
            new Answer(204, "Deleted."))
        { Role = Role.Admin },
        new("get", "/webhooks/{id}/deliveries", "listWebhookDeliveries", OpenApiTags.Webhooks,
            "The subscription's delivery log, newest first: each event's status, tries, last answer and next try. A delivery still failing 24 hours after its first try is dead-lettered.",
            new Answer(200, "A page of deliveries.", "WebhookDeliveryPage"))
        { Role = Role.Admin, Paged = true },
        new("post", "/webhooks/{id}/test", "testWebhook", OpenApiTags.Webhooks, "Send a com.leadfunctions.webhook.ping event now (tried once) and answer with how it went.",
            new Answer(200, "The ping's delivery: delivered, or failed with the receiver's answer or the reason.", "WebhookDelivery"))
        { Role = Role.Admin },
    ];

    /// <summary>What the server sets on a subscription: not part of what a request sends.</summary>
    private static readonly string[] ServerSet = ["id", "createdAt", "createdBy", "updatedAt", "updatedBy"];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(Webhook), "Webhook", "A webhook subscription: an HTTPS address and the event types it receives (full names, or \"*\" for all).")
            .Add(typeof(Webhook), "WebhookInput", "A new subscription; event types may be given short (lead.created) or full (com.leadfunctions.lead.created).", required: ["url", "events"], without: ServerSet)
            .Add(typeof(Webhook), "WebhookPatch", "Changes to a subscription (JSON merge patch).", required: [], without: ServerSet)
            .Add(typeof(Page<Webhook>), "WebhookPage", "A page of webhook subscriptions.")
            .Add(typeof(WebhookDelivery), "WebhookDelivery", "One event on its way to one subscription (its id is the event's id, sent as webhook-id).")
            .Add(typeof(Page<WebhookDelivery>), "WebhookDeliveryPage", "A page of a subscription's delivery log, newest first.");
        schemas.AddRaw("CreatedWebhook", new JsonObject
        {
            ["description"] = "A new subscription with its signing secret (whsec_ and base64 key bytes), shown only in this answer.",
            ["allOf"] = new JsonArray(
                OpenApiSchemas.Ref("Webhook"),
                new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["secret"] = new JsonObject { ["type"] = "string", ["description"] = "The Standard Webhooks signing secret." } },
                    ["required"] = new JsonArray("secret"),
                }),
        });
    }
}
