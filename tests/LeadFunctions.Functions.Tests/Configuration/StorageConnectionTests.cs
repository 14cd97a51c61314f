using Azure.Core;
using Azure.Identity;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Configuration;

/// <summary>SPEC 7: AzureWebJobsStorage read as the Functions host reads it, identity settings included.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class StorageConnectionTests
{
    private static readonly AzureComponentFactory Factory = CreateFactory();

    public static TheoryData<string, Type> CredentialCases() => new()
    {
        { "accountName=leads", typeof(DefaultAzureCredential) },
        { "accountName=leads;credential=managedidentity", typeof(ManagedIdentityCredential) },
        { "accountName=leads;credential=managedidentity;clientId=5a1f2b9e-0000-4000-8000-000000000001", typeof(ManagedIdentityCredential) },
        { "accountName=leads;tenantId=72f988bf-0000-4000-8000-000000000002;clientId=5a1f2b9e-0000-4000-8000-000000000001;clientSecret=not-a-real-secret", typeof(ClientSecretCredential) },
    };

    [Theory]
    [MemberData(nameof(CredentialCases))]
    public void Each_identity_setting_chooses_its_credential(string settings, Type expected)
    {
        var connection = StorageConnection.From(Settings(settings));

        connection.Problem.Should().BeNull();
        connection.ConnectionString.Should().BeNull();
        connection.CreateCredential(Factory).Should().BeOfType(expected);
    }

    [Fact]
    public async Task A_user_assigned_identity_asks_for_its_token_with_its_client_id()
    {
        const string clientId = "5a1f2b9e-0000-4000-8000-000000000001";
        const string header = "fake-identity-header";
        // The App Service identity endpoint, stood in for on loopback.
        await using var endpoint = LoopbackReceiver.Start(request => request.Headers.GetValueOrDefault("X-IDENTITY-HEADER") == header
            ? (200, $"{{\"access_token\":\"fake-access-token\",\"expires_on\":\"{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}\",\"resource\":\"https://storage.azure.com\",\"token_type\":\"Bearer\"}}")
            : (401, "{}"));
        using var environment = ProcessEnvironment.Set(("IDENTITY_ENDPOINT", new Uri(endpoint.Address, "msi/token").ToString()), ("IDENTITY_HEADER", header));
        var credential = StorageConnection.From(Settings($"accountName=leads;credential=managedidentity;clientId={clientId}")).CreateCredential(Factory);

        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://storage.azure.com/.default"]), TestContext.Current.CancellationToken);

        token.Token.Should().Be("fake-access-token");
        endpoint.Requests.Should().ContainSingle().Which.Query.Should().Contain($"client_id={clientId}").And.Contain("resource=https://storage.azure.com");
    }

    [Fact]
    public void Service_addresses_come_from_the_account_name_or_from_each_service_uri()
    {
        var byAccount = StorageConnection.From(Settings("accountName=leadsprod"));
        byAccount.ServiceUri("table").Should().Be(new Uri("https://leadsprod.table.core.windows.net"));
        byAccount.ServiceUri("queue").Should().Be(new Uri("https://leadsprod.queue.core.windows.net"));

        var byUri = StorageConnection.From(Settings("tableServiceUri=https://t.example.test/;queueServiceUri=https://q.example.test/;credential=managedidentity"));
        byUri.Problem.Should().BeNull();
        byUri.ServiceUri("table").Should().Be(new Uri("https://t.example.test/"));
        byUri.ServiceUri("queue").Should().Be(new Uri("https://q.example.test/"));

        var both = StorageConnection.From(Settings("accountName=leadsprod;tableServiceUri=https://t.example.test/"));
        both.ServiceUri("table").Should().Be(new Uri("https://leadsprod.table.core.windows.net"), "the Functions host lets accountName win");
    }

    [Theory]
    [InlineData("credential=managedidentity", "AzureWebJobsStorage__accountName")]
    [InlineData("tableServiceUri=https://t.example.test/", "AzureWebJobsStorage__accountName")]
    [InlineData("tableServiceUri=t.example.test;queueServiceUri=https://q.example.test/", "AzureWebJobsStorage__tableServiceUri")]
    public void An_incomplete_identity_connection_is_a_problem_naming_the_setting(string settings, string named)
    {
        StorageConnection.From(Settings(settings)).Problem.Should().Contain(named);
    }

    [Fact]
    public void A_connection_string_wins_over_identity_settings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        }).Build();

        var connection = StorageConnection.From(configuration);

        connection.Problem.Should().BeNull();
        connection.ConnectionString.Should().Be("UseDevelopmentStorage=true");
        connection.CreateTables(Factory).Uri.Host.Should().Be("127.0.0.1");
    }

    private static IConfiguration Settings(string pairs) => new ConfigurationBuilder()
        .AddInMemoryCollection(pairs.Split(';').Select(pair => pair.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string?>($"AzureWebJobsStorage:{kv[0]}", kv[1])))
        .Build();

    private static AzureComponentFactory CreateFactory()
    {
        var services = new ServiceCollection();
        services.AddAzureClientsCore();
        return services.BuildServiceProvider().GetRequiredService<AzureComponentFactory>();
    }
}
