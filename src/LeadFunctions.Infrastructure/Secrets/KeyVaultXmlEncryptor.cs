using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Infrastructure.Secrets;

/// <summary>
/// Keeps the key ring encrypted at rest with a key that only the vault holds: each key element is
/// sealed with AES-256-GCM under a 256-bit key-encryption key stored as a Key Vault secret. Written
/// by us because Azure.Extensions.AspNetCore.DataProtection.Keys (and Key Vault keys) are not
/// served here; Key Vault secrets are. The secret is made on first use; two instances making it at
/// once make two versions, and each element names the version that sealed it.
/// </summary>
public sealed class KeyVaultXmlEncryptor(KeyEncryptionKeys keys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var (version, key) = keys.Current();
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var sealedBytes = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plain, sealedBytes, tag, Encoding.ASCII.GetBytes(version));
        }
        var element = new XElement("sealedKey",
            new XAttribute("secret", keys.SecretName),
            new XAttribute("version", version),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(KeyVaultXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="KeyVaultXmlEncryptor"/> sealed; Data Protection makes it with the app's services.</summary>
public sealed class KeyVaultXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var version = (string?)encryptedElement.Attribute("version") ?? throw new CryptographicException("The sealed key names no secret version.");
        var key = services.GetRequiredService<KeyEncryptionKeys>().Version(version);
        var nonce = Convert.FromBase64String((string?)encryptedElement.Element("nonce") ?? "");
        var tag = Convert.FromBase64String((string?)encryptedElement.Element("tag") ?? "");
        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var plain = new byte[sealedBytes.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Decrypt(nonce, sealedBytes, tag, plain, Encoding.ASCII.GetBytes(version));
        }
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

/// <summary>Where the key-encryption key's versions live: Key Vault in Azure (<see cref="KeyVaultSecretStore"/>).</summary>
public interface ISecretStore
{
    /// <summary>The version asked for, or the current one when <paramref name="version"/> is null; null when the secret does not exist.</summary>
    (string Version, string Value)? Get(string name, string? version);

    /// <summary>Sets a new current version.</summary>
    (string Version, string Value) Set(string name, string value);
}

public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public (string Version, string Value)? Get(string name, string? version)
    {
        try
        {
            var secret = client.GetSecret(name, version).Value;
            return (secret.Properties.Version, secret.Value);
        }
        catch (RequestFailedException e) when (e.Status == 404 && version is null)
        {
            return null;
        }
    }

    public (string Version, string Value) Set(string name, string value)
    {
        var secret = client.SetSecret(new KeyVaultSecret(name, value)
        {
            Properties = { ContentType = "AES-256 key (base64) sealing the LeadFunctions Data Protection key ring" },
        }).Value;
        return (secret.Properties.Version, secret.Value);
    }
}

/// <summary>The key-encryption keys: versions of one secret, each 32 random bytes in base64, cached once read.</summary>
public sealed class KeyEncryptionKeys(ISecretStore store, string secretName)
{
    private readonly Dictionary<string, byte[]> byVersion = [];
    private readonly Lock gate = new();

    public string SecretName => secretName;

    /// <summary>The secret's current version, made when there is none.</summary>
    public (string Version, byte[] Key) Current()
    {
        var (version, value) = store.Get(secretName, null) ?? store.Set(secretName, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return (version, Remember(version, value));
    }

    public byte[] Version(string version)
    {
        lock (gate)
        {
            if (byVersion.TryGetValue(version, out var known))
            {
                return known;
            }
        }
        var found = store.Get(secretName, version) ?? throw new CryptographicException($"The secret {secretName} has no version {version}.");
        return Remember(version, found.Value);
    }

    private byte[] Remember(string version, string value)
    {
        var key = Convert.FromBase64String(value);
        if (key.Length != 32)
        {
            throw new CryptographicException($"The secret {secretName} (version {version}) is not a 256-bit key in base64.");
        }
        lock (gate)
        {
            byVersion[version] = key;
        }
        return key;
    }
}
