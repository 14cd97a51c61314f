using Azure.Security.KeyVault.Secrets;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Configuration;

/// <summary>
/// ASP.NET Core Data Protection as the app uses it (SPEC 4.5): one key ring for every instance in
/// the app's storage account, sealed at rest by a key held in Key Vault when
/// <c>DataProtection:KeyVaultUri</c> is set (infra/ sets it), unsealed otherwise (local
/// development, tests). Key Vault is reached with the storage connection's identity.
/// </summary>
public static class KeyRing
{
    public const string ApplicationName = "LeadFunctions";

    public static IServiceCollection AddKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton(s =>
        {
            var options = s.GetRequiredService<IOptions<SecretsOptions>>().Value;
            ISecretStore store = options.KeyVaultUri is { Length: > 0 } vault
                ? new KeyVaultSecretStore(new SecretClient(new Uri(vault), s.GetRequiredService<IOptions<StorageConnection>>().Value.CreateCredential(s.GetRequiredService<AzureComponentFactory>())))
                : new NoVault();
            return new KeyEncryptionKeys(store, options.KeyVaultSecret);
        });
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(s => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new TableXmlRepository(s.GetRequiredService<StorageClients>().Secrets);
            if (s.GetRequiredService<IOptions<SecretsOptions>>().Value.KeyVaultUri is { Length: > 0 })
            {
                options.XmlEncryptor = new KeyVaultXmlEncryptor(s.GetRequiredService<KeyEncryptionKeys>());
            }
        }));
        services.AddSingleton<KeyedHashes>();
        return services;
    }

    /// <summary>A ring sealed in Azure, opened where no vault is set: say so instead of failing obscurely.</summary>
    private sealed class NoVault : ISecretStore
    {
        public (string Version, string Value)? Get(string name, string? version) => throw Missing();

        public (string Version, string Value) Set(string name, string value) => throw Missing();

        private static InvalidOperationException Missing() =>
            new("The Data Protection key ring is sealed by Key Vault, but DataProtection:KeyVaultUri (app setting DataProtection__KeyVaultUri) is not set.");
    }
}
