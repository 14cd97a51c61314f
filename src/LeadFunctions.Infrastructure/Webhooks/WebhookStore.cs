using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;

namespace LeadFunctions.Infrastructure.Webhooks;

/// <summary>A delivery as stored: the log entry and the exact body every try sends.</summary>
public sealed record StoredDelivery(WebhookDelivery Delivery, string Payload, string Version);

/// <summary>
/// The <c>webhooks</c> table: subscriptions in one partition (their secret in a column of its own,
/// never in the JSON the API answers with), and each subscription's delivery log in a partition of
/// its own, newest first. The subscriptions are read by every dispatch, so they are cached briefly
/// per instance; another instance sees a change within <see cref="DirectoryStore.CacheLifetime"/>.
/// </summary>
public sealed class WebhookStore(StorageClients clients, IMemoryCache memoryCache, IDataProtectionProvider protection)
{
    private const string SubscriptionsPartition = "hook";
    private const string DeliveryPartitionPrefix = "d|";
    private const string SecretColumn = "Secret";
    private const string CacheKey = "webhooks";
    // Beside the JSON, so that the erasure sees whom a delivery is about without parsing it.
    private const string SubjectColumn = "Subject";

    private readonly ReadThroughCache cache = new(memoryCache, DirectoryStore.CacheLifetime);
    private readonly SecretProtector secrets = new(protection, "LeadFunctions.WebhookSecrets.v1");

    private TableClient Table => clients.Webhooks;

    public async Task InsertAsync(Webhook webhook, string secret, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var row = JsonRow.Create(SubscriptionsPartition, webhook.Id, webhook);
        // Encrypted at rest: a copy of the table (a backup, a leaked SAS) must not sign as us.
        row[SecretColumn] = secrets.Protect(secret);
        await Table.AddEntityAsync(row, ct);
        cache.Forget(CacheKey);
    }

    /// <summary>The subscription with its secret and the version to change it with.</summary>
    public async Task<(Webhook Webhook, string Secret, string Version)?> FindAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(SubscriptionsPartition, id, cancellationToken: ct);
        return response.HasValue ? (JsonRow.Read<Webhook>(response.Value!), secrets.Unprotect(response.Value!.GetString(SecretColumn) ?? ""), response.Value.ETag.ToString()) : null;
    }

    /// <exception cref="ConcurrencyException">The subscription changed (or went) since <paramref name="version"/> was read.</exception>
    public async Task ReplaceAsync(Webhook webhook, string version, CancellationToken ct)
    {
        try
        {
            // Merge keeps the secret column as it is.
            await Table.UpdateEntityAsync(JsonRow.Create(SubscriptionsPartition, webhook.Id, webhook), new ETag(version), TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new ConcurrencyException(webhook.Id);
        }
        finally
        {
            cache.Forget(CacheKey);
        }
    }

    /// <summary>
    /// Deletes the subscription, then its delivery log (which holds the records it carried): a
    /// delivery still queued finds no subscription and stops.
    /// </summary>
    /// <returns>False when there was no such subscription.</returns>
    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        // Read first: a delete of a row that is not there is not a 404 everywhere (Azurite answers 204).
        if (await FindAsync(id, ct) is null)
        {
            return false;
        }
        try
        {
            await Table.DeleteEntityAsync(SubscriptionsPartition, id, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        finally
        {
            cache.Forget(CacheKey);
        }
        await TableBatches.DeleteAllAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {DeliveryPartition(id)}"), () => Task.CompletedTask, ct);
        return true;
    }

    public async Task<Page<Webhook>> ListAsync(int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubscriptionsPartition}");
        return await TablePages.ReadAsync(Table, filter, pageSize, continuationToken, JsonRow.Read<Webhook>, ct);
    }

    /// <summary>Every subscription, from this instance's cache when it is fresh.</summary>
    public Task<IReadOnlyList<Webhook>> AllCachedAsync(CancellationToken ct) =>
        cache.GetAsync<IReadOnlyList<Webhook>>(CacheKey, async () =>
        {
            await clients.EnsureCreatedAsync();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubscriptionsPartition}");
            var all = new List<Webhook>();
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                all.Add(JsonRow.Read<Webhook>(row));
            }
            return all;
        });

    /// <summary>
    /// Adds a delivery unless the event is already on its way to this subscription (a dispatch
    /// that is tried again writes the same delivery).
    /// </summary>
    /// <returns>The delivery as stored: the new one, or the one written before.</returns>
    public async Task<StoredDelivery> AddDeliveryAsync(WebhookDelivery delivery, string payload, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        try
        {
            var response = await Table.AddEntityAsync(Row(delivery, payload), ct);
            return new StoredDelivery(delivery, payload, (response.Headers.ETag ?? ETag.All).ToString());
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await FindDeliveryAsync(delivery.WebhookId, delivery.Id, ct)
                ?? throw new ConcurrencyException(delivery.Id);
        }
    }

    public async Task<StoredDelivery?> FindDeliveryAsync(string webhookId, string deliveryId, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(webhookId) || !Ids.IsWellFormed(deliveryId))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(DeliveryPartition(webhookId), Ids.Descending(deliveryId), cancellationToken: ct);
        if (!response.HasValue)
        {
            return null;
        }
        var stored = JsonRow.Read<DeliveryDocument>(response.Value!);
        return new StoredDelivery(stored.Delivery, stored.Payload, response.Value!.ETag.ToString());
    }

    /// <returns>False when the delivery changed since it was read (another try got there first).</returns>
    public async Task<bool> TryUpdateDeliveryAsync(WebhookDelivery delivery, string payload, string version, CancellationToken ct)
    {
        try
        {
            await Table.UpdateEntityAsync(Row(delivery, payload), new ETag(version), TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Deletes the deliveries that are over and have not changed since <paramref name="before"/> (the retention of the log).</summary>
    public async Task<int> DeleteOverBeforeAsync(DateTimeOffset before, Func<Task> afterWrite, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {DeliveryPartitionPrefix} and PartitionKey lt {TableKeys.PrefixEnd(DeliveryPartitionPrefix)} and Timestamp lt {before}");
        var deleted = 0;
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct).AsPages())
        {
            var over = page.Values.Where(r => JsonRow.Read<DeliveryDocument>(r).Delivery.Status is not (DeliveryStatus.Pending or DeliveryStatus.Retrying));
            deleted += await TableBatches.DeleteAsync(Table, over, afterWrite, ct);
        }
        return deleted;
    }

    /// <summary>Every subscription's deliveries, with the record each is about and its JSON: one scan (the erasure's).</summary>
    public async IAsyncEnumerable<(string PartitionKey, string RowKey, string? Subject, string Json)> EveryDeliveryAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {DeliveryPartitionPrefix} and PartitionKey lt {TableKeys.PrefixEnd(DeliveryPartitionPrefix)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            yield return (row.PartitionKey, row.RowKey, row.GetString(SubjectColumn), JsonRow.ReadJson(row));
        }
    }

    /// <summary>A subscription's delivery log, newest first.</summary>
    public async Task<Page<WebhookDelivery>> DeliveriesAsync(string webhookId, int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DeliveryPartition(webhookId)}");
        return await TablePages.ReadAsync(Table, filter, pageSize, continuationToken, row => JsonRow.Read<DeliveryDocument>(row).Delivery, ct);
    }

    private static string DeliveryPartition(string webhookId) => DeliveryPartitionPrefix + webhookId;

    private static TableEntity Row(WebhookDelivery delivery, string payload)
    {
        var row = JsonRow.Create(DeliveryPartition(delivery.WebhookId), Ids.Descending(delivery.Id), new DeliveryDocument(delivery, payload));
        row[SubjectColumn] = delivery.Subject;
        return row;
    }

    private sealed record DeliveryDocument(WebhookDelivery Delivery, string Payload);
}
