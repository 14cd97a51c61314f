using LeadFunctions.Domain.Access;
using System.Text.Json;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Webhooks;

/// <summary>Webhook subscriptions (SPEC 6) and the queue function that makes each delivery's tries.</summary>
public sealed class WebhooksFunctions(WebhookService webhooks, WebhookDeliverer deliverer, IdempotentCreate idempotent, ILogger<WebhooksFunctions> logger)
{
    [Function("CreateWebhook")]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            var body = await RequestBody.ReadJsonObjectAsync(req, ct);
            var input = JsonInput.Deserialize<Webhook>(body);
            return await idempotent.RunAsync(req, "webhooks", body.ToJsonString(), null,
                async (id, ct) => Created(await webhooks.CreateAsync(input, id, ct)),
                async (id, ct) => await webhooks.FindWithSecretAsync(id, ct) is { } found ? Created(found) : null,
                ct);

            // The only answers that show the secret (the create's, and its repeat's, whose first answer may have been lost): it is needed to verify every delivery.
            IActionResult Created((Webhook Webhook, string Secret) made)
            {
                var answer = JsonSerializer.SerializeToNode(made.Webhook, JsonDefaults.Options)!.AsObject();
                answer["secret"] = made.Secret;
                return ApiResults.Created(req, $"/api/webhooks/{made.Webhook.Id}", answer);
            }
        });

    [Function("ListWebhooks")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            return ApiResults.Json(await webhooks.ListAsync(pageSize, token, ct));
        });

    [Function("GetWebhook")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Admin, async ct => ApiResults.Json(await webhooks.GetAsync(id, ct)));

    [Function("PatchWebhook")]
    public Task<IActionResult> Patch([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "webhooks/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Admin, async ct => ApiResults.Json(await webhooks.PatchAsync(id, await RequestBody.ReadMergePatchAsync(req, ct), ct)));

    [Function("DeleteWebhook")]
    public Task<IActionResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "webhooks/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            await webhooks.DeleteAsync(id, ct);
            return new NoContentResult();
        });

    [Function("ListWebhookDeliveries")]
    public Task<IActionResult> Deliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhooks/{id}/deliveries")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            return ApiResults.Json(await webhooks.DeliveriesAsync(id, pageSize, token, ct));
        });

    [Function("TestWebhook")]
    public Task<IActionResult> Test([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/{id}/test")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Admin, async ct => ApiResults.Json(await webhooks.PingAsync(id, ct)));

    /// <summary>One try of one delivery; a message that cannot be read throws, so it ends in the poison queue.</summary>
    [Function("DeliverWebhook")]
    public Task Deliver(
        [QueueTrigger(StorageNames.WebhookQueue, Connection = ServiceCollectionExtensions.StorageSetting)] string message,
        CancellationToken ct)
    {
        var parsed = JsonSerializer.Deserialize<WebhookMessage>(message, JsonDefaults.Options);
        return parsed is null || !Ids.IsWellFormed(parsed.WebhookId) || !Ids.IsWellFormed(parsed.DeliveryId) || parsed.Attempt < 0
            ? throw new InvalidDataException("The webhook message names no delivery.")
            : deliverer.DeliverAsync(parsed, ct);
    }
}
