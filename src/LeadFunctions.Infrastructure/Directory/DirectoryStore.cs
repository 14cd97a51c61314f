using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Caching.Memory;

namespace LeadFunctions.Infrastructure.Directory;

/// <summary>
/// Customers, teams, salespeople and the settings, one partition per kind, ordered by id (creation).
/// Settings and teams are read on every capture, so they are cached briefly per instance; another
/// instance sees a change within <see cref="CacheLifetime"/>.
/// </summary>
public sealed class DirectoryStore(StorageClients clients, IMemoryCache memoryCache)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(15);
    private readonly ReadThroughCache cache = new(memoryCache, CacheLifetime);
    private const string SettingsKind = "settings";
    private const string SettingsRow = "global";

    public static string KindOf<T>() => typeof(T).Name.ToLowerInvariant();

    public async Task<T?> FindAsync<T>(string id, CancellationToken ct) where T : class =>
        (await FindVersionedAsync<T>(id, ct))?.Value;

    /// <summary>The record with the version to update it with.</summary>
    public async Task<(T Value, string Version)?> FindVersionedAsync<T>(string id, CancellationToken ct) where T : class
    {
        if (!Ids.IsWellFormed(id))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var response = await clients.Directory.GetEntityIfExistsAsync<TableEntity>(KindOf<T>(), id, cancellationToken: ct);
        return response.HasValue ? (JsonRow.Read<T>(response.Value!), response.Value!.ETag.ToString()) : null;
    }

    public Task<Team?> FindTeamCachedAsync(string id, CancellationToken ct) =>
        cache.GetAsync((KindOf<Team>(), id), () => FindAsync<Team>(id, ct));

    /// <summary>
    /// Every record of a kind, cached briefly: routing reads the teams and salespeople on every
    /// new record (SPEC 11), and a change here is seen at once, elsewhere within <see cref="CacheLifetime"/>.
    /// </summary>
    public Task<IReadOnlyList<T>> AllCachedAsync<T>(CancellationToken ct) =>
        cache.GetAsync((KindOf<T>(), "*"), () => AllAsync<T>(ct));

    public async Task InsertAsync<T>(string id, T value, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        try
        {
            await clients.Directory.AddEntityAsync(JsonRow.Create(KindOf<T>(), id, value), ct);
        }
        finally
        {
            cache.Forget((KindOf<T>(), "*"));
        }
    }

    /// <exception cref="ConcurrencyException">The record changed since <paramref name="version"/> was read.</exception>
    public async Task ReplaceAsync<T>(string id, T value, string version, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        try
        {
            await clients.Directory.UpdateEntityAsync(JsonRow.Create(KindOf<T>(), id, value), new ETag(version), TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new ConcurrencyException(id);
        }
        finally
        {
            cache.Forget((KindOf<T>(), id));
            cache.Forget((KindOf<T>(), "*"));
        }
    }

    public async Task<Page<T>> ListAsync<T>(int pageSize, string? continuationToken, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KindOf<T>()}");
        return await TablePages.ReadAsync(clients.Directory, filter, pageSize, continuationToken, JsonRow.Read<T>, ct);
    }

    /// <summary>Every team, in creation order: the order the team-from-salesperson rule (SPEC 4.3) takes them in.</summary>
    public async Task<List<Team>> TeamsByCreationAsync(CancellationToken ct) =>
        [.. (await AllAsync<Team>(ct)).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<T>> AllAsync<T>(CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {KindOf<T>()}");
        var items = new List<T>();
        await foreach (var row in clients.Directory.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            items.Add(JsonRow.Read<T>(row));
        }
        return items;
    }

    public Task<Settings> GetSettingsAsync(CancellationToken ct) => GetSettingsAsync<Settings>(ct);

    /// <summary>The settings as <typeparamref name="T"/>, a view that shows more beside them, read whole without copying field by field.</summary>
    public async Task<T> GetSettingsAsync<T>(CancellationToken ct) where T : Settings, new()
    {
        await clients.EnsureCreatedAsync();
        var response = await clients.Directory.GetEntityIfExistsAsync<TableEntity>(SettingsKind, SettingsRow, cancellationToken: ct);
        return response.HasValue ? JsonRow.Read<T>(response.Value!) : new T();
    }

    public Task<Settings> GetSettingsCachedAsync(CancellationToken ct) =>
        cache.GetAsync(SettingsKind, () => GetSettingsAsync(ct));

    public async Task SaveSettingsAsync(Settings settings, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await clients.Directory.UpsertEntityAsync(JsonRow.Create(SettingsKind, SettingsRow, settings), TableUpdateMode.Replace, ct);
        cache.Forget(SettingsKind);
    }
}
