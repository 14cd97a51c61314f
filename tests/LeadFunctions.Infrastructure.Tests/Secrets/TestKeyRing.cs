using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Infrastructure.Tests.Secrets;

/// <summary>A Data Protection provider as one function instance has it: the key ring in the shared secrets table, sealed when a store of sealing keys is given.</summary>
public static class TestKeyRing
{
    public static ServiceProvider Services(Azure.Data.Tables.TableClient ring, ISecretStore? vault = null)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("LeadFunctions");
        if (vault is not null)
        {
            services.AddSingleton(new KeyEncryptionKeys(vault, "kek"));
        }
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<KeyManagementOptions>>(s => new Microsoft.Extensions.Options.ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new TableXmlRepository(ring);
            if (vault is not null)
            {
                options.XmlEncryptor = new KeyVaultXmlEncryptor(s.GetRequiredService<KeyEncryptionKeys>());
            }
        }));
        return services.BuildServiceProvider();
    }

    public static KeyedHashes Hashes(StorageClients clients) =>
        new(clients, Services(clients.Secrets).GetRequiredService<IDataProtectionProvider>());
}

/// <summary>Key Vault's secrets as the encryptor sees them: versions of named values, kept in memory.</summary>
public sealed class MemorySecretStore : ISecretStore
{
    private readonly Dictionary<string, List<string>> versions = [];

    public int Reads { get; private set; }

    public (string Version, string Value)? Get(string name, string? version)
    {
        lock (versions)
        {
            Reads++;
            if (!versions.TryGetValue(name, out var list) || list.Count == 0)
            {
                return null;
            }
            var at = version is null ? list.Count - 1 : int.Parse(version, System.Globalization.CultureInfo.InvariantCulture);
            return at < list.Count ? (at.ToString(System.Globalization.CultureInfo.InvariantCulture), list[at]) : null;
        }
    }

    public (string Version, string Value) Set(string name, string value)
    {
        lock (versions)
        {
            if (!versions.TryGetValue(name, out var list))
            {
                versions[name] = list = [];
            }
            list.Add(value);
            return ((list.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }
}
