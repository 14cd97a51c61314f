using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection;

namespace LeadFunctions.Infrastructure.Secrets;

/// <summary>
/// Keyed hashes (HMAC-SHA256) of personal values that rows are keyed by: a client address, a
/// contact, a capture's content. A bare hash of an IPv4 address or a known email reverses by
/// guessing; without the key nobody can test a guess. The key is 32 random bytes made once per
/// deployment and kept in the secrets table protected by the Data Protection key ring (itself
/// sealed by Key Vault in Azure), so it stays the same across key-ring rotations and instances.
/// </summary>
public sealed class KeyedHashes(StorageClients clients, IDataProtectionProvider protection)
{
    private const string Partition = "keys";
    private const string Row = "keyed-hash";
    private const string KeyColumn = "Protected";

    private readonly IDataProtector protector = protection.CreateProtector("LeadFunctions.KeyedHashes.v1");
    private Task<byte[]>? key;

    /// <summary>The value's keyed hash for one use (<paramref name="purpose"/>), in upper-case hex as row keys hold it.</summary>
    public async Task<string> HashAsync(string purpose, string value)
    {
        var secret = await KeyAsync();
        return Convert.ToHexString(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(purpose + "\n" + value)));
    }

    /// <summary>
    /// The bare SHA-256 that rows were keyed by before keyed hashes: still read (and erased) where
    /// such rows may live on, never written.
    /// </summary>
    public static string LegacyHash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private Task<byte[]> KeyAsync()
    {
        var task = key;
        if (task is null || task.IsFaulted || task.IsCanceled)
        {
            key = task = LoadAsync();
        }
        return task;
    }

    private async Task<byte[]> LoadAsync()
    {
        await clients.EnsureTablesCreatedAsync();
        var stored = await clients.Secrets.GetEntityIfExistsAsync<TableEntity>(Partition, Row);
        if (!stored.HasValue)
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            try
            {
                await clients.Secrets.AddEntityAsync(new TableEntity(Partition, Row) { [KeyColumn] = protector.Protect(fresh) });
                return fresh;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another instance made it first: everyone uses the one stored.
                stored = await clients.Secrets.GetEntityIfExistsAsync<TableEntity>(Partition, Row);
            }
        }
        return protector.Unprotect(stored.Value!.GetBinary(KeyColumn));
    }
}
