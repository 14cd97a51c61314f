using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Access;

/// <summary>
/// API keys in the directory table, one row per key under partition "apikey". A key reads
/// <c>lf_{id}_{secret}</c>: the id finds its row in one point read, and the row holds only the
/// keyed hash of the whole key, compared in constant time. Revoking deletes the row, so the next
/// call with the key finds nothing: there is no cache to wait out.
/// </summary>
public sealed class ApiKeyStore(StorageClients clients, KeyedHashes hashes, DirectoryStore directory, TimeProvider time)
{
    public const string Prefix = "lf_";
    private const string HashPurpose = "api-key";
    private const string HashColumn = "Hash";
    private static string Partition => DirectoryStore.KindOf<ApiKey>();

    /// <summary>Stores a new key and answers it with the key itself, which is never stored nor shown again.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string id, string name, Role role, Actor createdBy, CancellationToken ct)
    {
        var key = new ApiKey { Id = id, Name = name, Role = role, CreatedAt = time.GetUtcNow(), CreatedBy = createdBy };
        // 256 random bits: guessing one is hopeless, so a hash without a slow stretch is enough.
        var secret = $"{Prefix}{key.Id}_{System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var row = JsonRow.Create(Partition, key.Id, key);
        row[HashColumn] = await hashes.HashAsync(HashPurpose, secret);
        await clients.EnsureCreatedAsync();
        await clients.Directory.AddEntityAsync(row, ct);
        return (key, secret);
    }

    public Task<ApiKey?> FindByIdAsync(string id, CancellationToken ct) => directory.FindAsync<ApiKey>(id, ct);

    public Task<Page<ApiKey>> ListAsync(int pageSize, string? continuationToken, CancellationToken ct) =>
        directory.ListAsync<ApiKey>(pageSize, continuationToken, ct);

    /// <returns>False when no key has that id (never made, or revoked already).</returns>
    public async Task<bool> RevokeAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(id))
        {
            return false;
        }
        await clients.EnsureCreatedAsync();
        try
        {
            // The SDK answers a missing row's 404 on delete without throwing.
            return (await clients.Directory.DeleteEntityAsync(Partition, id, ETag.All, ct)).Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The key a presented secret is, or null when it is none (malformed, unknown, revoked, or wrong).</summary>
    public async Task<ApiKey?> FindAsync(string presented, CancellationToken ct)
    {
        var id = IdOf(presented);
        if (id is null)
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var response = await clients.Directory.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: ct);
        if (!response.HasValue || response.Value!.GetString(HashColumn) is not { } stored)
        {
            return null;
        }
        var hash = await hashes.HashAsync(HashPurpose, presented);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(stored)))
        {
            return null;
        }
        var key = JsonRow.Read<ApiKey>(response.Value);
        await TouchAsync(key, response.Value, ct);
        return key;
    }

    public static bool LooksLikeKey(string? presented) => presented?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    private static string? IdOf(string presented)
    {
        if (!LooksLikeKey(presented))
        {
            return null;
        }
        var rest = presented[Prefix.Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        return separator > 0 && Ids.IsWellFormed(rest[..separator]) ? rest[..separator] : null;
    }

    /// <summary>"Last used" within <see cref="ApiKey.LastUsedGranularity"/>: one write a key per window, lost races harmless.</summary>
    private async Task TouchAsync(ApiKey key, TableEntity row, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (key.LastUsedAt is { } last && now - last < ApiKey.LastUsedGranularity)
        {
            return;
        }
        key.LastUsedAt = now;
        var updated = JsonRow.Create(Partition, key.Id, key);
        updated[HashColumn] = row[HashColumn];
        try
        {
            await clients.Directory.UpdateEntityAsync(updated, row.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException)
        {
            // "Last used" is a hint: another call touched it first, it was revoked just now (the next
            // call is refused), or storage is busy; none of these should fail the caller's request.
        }
    }
}
