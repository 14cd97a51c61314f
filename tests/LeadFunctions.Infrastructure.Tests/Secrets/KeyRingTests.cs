using System.Security.Cryptography;
using System.Xml.Linq;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Infrastructure.Tests.Secrets;

/// <summary>
/// The key ring in the secrets table, sealed by a key the vault holds, and the keyed hashes and
/// secrets it protects, as several instances share them. The secrets table is shared by the whole
/// test assembly, as by every instance of one app.
/// </summary>
public sealed class KeyRingTests(SharedAzurite azurite)
{
    [Fact]
    public void A_sealed_key_opens_with_the_version_that_sealed_it_even_after_the_secret_moved_on()
    {
        var vault = new MemorySecretStore();
        var keys = new KeyEncryptionKeys(vault, "kek");
        var element = new XElement("key", new XElement("masterKey", "c2VjcmV0IGtleSBtYXRlcmlhbA=="));

        var sealedInfo = new KeyVaultXmlEncryptor(keys).Encrypt(element);
        vault.Set("kek", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var opened = new KeyVaultXmlDecryptor(Provide(new KeyEncryptionKeys(vault, "kek"))).Decrypt(sealedInfo.EncryptedElement);

        sealedInfo.EncryptedElement.ToString().Should().NotContain("c2VjcmV0IGtleSBtYXRlcmlhbA==");
        sealedInfo.EncryptedElement.Attribute("version")!.Value.Should().Be("0");
        opened.ToString(SaveOptions.DisableFormatting).Should().Be(element.ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public void A_sealed_key_that_was_tampered_with_does_not_open()
    {
        var vault = new MemorySecretStore();
        var keys = new KeyEncryptionKeys(vault, "kek");
        var sealedElement = new KeyVaultXmlEncryptor(keys).Encrypt(new XElement("key", "material")).EncryptedElement;
        var value = Convert.FromBase64String(sealedElement.Element("value")!.Value);
        value[0] ^= 1;
        sealedElement.Element("value")!.Value = Convert.ToBase64String(value);

        var open = () => new KeyVaultXmlDecryptor(Provide(keys)).Decrypt(sealedElement);

        open.Should().Throw<CryptographicException>();
    }

    [Fact]
    public async Task With_a_vault_the_ring_is_stored_sealed_and_another_instance_opens_what_the_first_protected()
    {
        var vault = new MemorySecretStore();
        var ring = await azurite.NewTableAsync("ring");
        using var first = TestKeyRing.Services(ring, vault);
        var protectedText = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");

        using var second = TestKeyRing.Services(azurite.Tables.GetTableClient(ring.Name), vault);
        second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText).Should().Be("hello");
        var rows = new List<string>();
        await foreach (var row in ring.QueryAsync<TableEntity>(e => e.PartitionKey == "dataprotection", cancellationToken: TestContext.Current.CancellationToken))
        {
            rows.Add(row.GetString("Xml"));
        }
        rows.Should().NotBeEmpty().And.OnlyContain(xml => xml.Contains("sealedKey", StringComparison.Ordinal) && !xml.Contains("<masterKey", StringComparison.Ordinal), "keys written with a vault are sealed");
    }

    [Fact]
    public async Task Keyed_hashes_are_the_same_on_every_instance_differ_by_purpose_and_are_not_the_bare_hash()
    {
        var one = TestKeyRing.Hashes(azurite.NewClients());
        var two = TestKeyRing.Hashes(azurite.NewClients());

        var a = await one.HashAsync("capture-contact", "ann@acme.test");

        (await two.HashAsync("capture-contact", "ann@acme.test")).Should().Be(a);
        (await one.HashAsync("client-address", "ann@acme.test")).Should().NotBe(a);
        a.Should().NotBe(KeyedHashes.LegacyHash("ann@acme.test")).And.MatchRegex("^[0-9A-F]{64}$");
    }

    [Fact]
    public void A_protected_secret_reads_back_and_one_stored_before_encryption_reads_as_it_was()
    {
        using var services = TestKeyRing.Services(azurite.NewClients().Secrets);
        var secrets = new SecretProtector(services.GetRequiredService<IDataProtectionProvider>(), "test-secrets");

        var stored = secrets.Protect("whsec_abc");

        stored.Should().StartWith("dp1:").And.NotContain("whsec_abc");
        secrets.Unprotect(stored).Should().Be("whsec_abc");
        secrets.Unprotect("whsec_plain_old").Should().Be("whsec_plain_old");
    }

    private static ServiceProvider Provide(KeyEncryptionKeys keys) => new ServiceCollection().AddSingleton(keys).BuildServiceProvider();
}
