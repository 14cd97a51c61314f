namespace LeadFunctions.Infrastructure.Secrets;

/// <summary>Where the Data Protection key ring's sealing key lives (configuration section "DataProtection").</summary>
public sealed class SecretsOptions
{
    /// <summary>The Key Vault that seals the key ring at rest (infra/ sets it). None: the ring is stored unsealed, as for local development.</summary>
    public string? KeyVaultUri { get; set; }

    /// <summary>The vault's secret holding the sealing key; made on first use.</summary>
    public string KeyVaultSecret { get; set; } = "leadfunctions-keyring-kek";
}
