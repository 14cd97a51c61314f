using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Configuration;

/// <summary>SPEC 7: a wrong setting stops the app with the setting's name; storage out of reach is a 503.</summary>
public sealed class StartupSettingsTests(SharedHost shared)
{
    [Theory]
    [InlineData("Leads:DefaultPhoneRegion", "ZZ")]
    [InlineData("Leads:DefaultPhoneRegion", "United States")]
    [InlineData("Leads:ListPageReadLimit", "0")]
    [InlineData("Leads:ListPageReadLimit", "many")]
    [InlineData("Capture:RateLimitPerMinute", "abc")]
    [InlineData("Capture:RateLimitPerMinute", "0")]
    [InlineData("Capture:MaxBodyBytes", "lots")]
    [InlineData("Capture:MaxBodyBytes", "10")]
    [InlineData("Capture:RepeatWindow", "soon")]
    [InlineData("Capture:AllowedOrigins", "shop.example")]
    [InlineData("Capture:AllowedOrigins", "https://shop.example/thanks")]
    [InlineData("Capture:AllowedOrigins", "https://ok.example,ftp://files.example")]
    [InlineData("Capture:ClientAddressHeader", "X Client IP")]
    [InlineData("Capture:ClientAddressHeader", "X-Forwarded-For")]
    [InlineData("Capture:ClientAddressHeader", "X-Azure-ClientIP")]
    [InlineData("DataProtection:KeyVaultUri", "http://vault.example/")]
    [InlineData("DataProtection:KeyVaultSecret", "bad name!")]
    [InlineData("Merges:StaleAfter", "abc")]
    [InlineData("Merges:StaleAfter", "-00:00:01")]
    [InlineData("Merges:StaleAfter", "02:00:00")]
    [InlineData("Events:SweepAfter", "2.00:00:00")]
    [InlineData("Events:ServiceBus:Topic", "lead events!")]
    [InlineData("Events:Webhooks:AllowInsecureLocal", "sometimes")]
    [InlineData("Events:Webhooks:RetryWindow", "8.00:00:00")]
    [InlineData("Events:Webhooks:FirstRetryAfter", "00:00:00")]
    [InlineData("Events:Webhooks:Timeout", "00:05:00")]
    [InlineData("Events:StorageQueue:Payload", "Slim")]
    [InlineData("Events:StorageQueue:Payload", "7")]
    [InlineData("Events:ServiceBus:Payload", "none")]
    [InlineData("Events:Webhooks:Payload", "")]
    [InlineData("Ingest:RelinkAfter", "00:00:00")]
    [InlineData("Ingest:RelinkAfter", "02:00:00")]
    [InlineData("Erasure:SettleAfter", "00:00:00")]
    [InlineData("Retention:SentEvents", "-1.00:00:00")]
    [InlineData("Retention:Imports", "00:00:00")]
    [InlineData("Erasure:ScanPageSize", "0")]
    [InlineData("Erasure:ScanPageSize", "1001")]
    [InlineData("Auth:Authority", "http://login.example/tenant/v2.0")]
    [InlineData("Auth:Authority", "login.microsoftonline.com/tenant")]
    [InlineData("Auth:Admins", "first-admin")]
    public async Task A_bad_setting_stops_the_host_naming_the_setting(string key, string value)
    {
        var start = () => TestHost.StartAsync(shared.Azurite.ConnectionString, queues: false, new Dictionary<string, string?> { [key] = value });

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;

        failure.Message.Should().Contain(key).And.Contain(key.Replace(":", "__", StringComparison.Ordinal), "operators type app settings with __");
    }

    [Theory]
    [InlineData("Events:StorageQueue:Payload", "Slim")]
    [InlineData("Events:Webhooks:Payload", "2")]
    public async Task A_payload_mode_that_is_none_says_which_ones_there_are(string key, string value)
    {
        var start = () => TestHost.StartAsync(shared.Azurite.ConnectionString, queues: false, new Dictionary<string, string?> { [key] = value });

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(key).And.Contain("Full or Thin");
    }

    [Theory]
    [InlineData("not a connection string")]
    [InlineData("AccountName=x;AccountKey=???")]
    public async Task A_storage_setting_that_is_no_connection_string_stops_the_host_without_echoing_it(string value)
    {
        var start = () => TestHost.StartAsync(value, queues: false);

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;

        failure.Message.Should().Contain("AzureWebJobsStorage").And.NotContain(value, "a connection string is a secret");
    }

    [Fact]
    public async Task An_identity_connection_without_an_account_stops_the_host()
    {
        var start = () => TestHost.StartAsync("", queues: false, new Dictionary<string, string?> { ["AzureWebJobsStorage:credential"] = "managedidentity" });

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("AzureWebJobsStorage__accountName");
    }

    [Fact]
    public async Task Good_settings_in_both_forms_start_the_host()
    {
        await using var host = await TestHost.StartAsync(shared.Azurite.ConnectionString, queues: false, new Dictionary<string, string?>
        {
            ["Leads:DefaultPhoneRegion"] = "be",
            ["Capture:AllowedOrigins"] = "https://a.example, http://localhost:3000/",
            ["Capture:RateLimitPerMinute"] = "120",
            ["Capture:RepeatWindow"] = "00:05:00",
            ["Merges:StaleAfter"] = "00:01:00",
            ["Events:StorageQueue:Payload"] = "full",
            ["Events:ServiceBus:Payload"] = "Thin",
            ["Events:Webhooks:Payload"] = "thin",
        });

        using var response = await host.Client.GetAsync("health", TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Outside_development_the_token_issuer_and_audience_must_be_named()
    {
        var settings = TestHost.Settings(shared.Azurite.ConnectionString, queues: false);

        var production = () => StartAsync(["--port", "0", "--environment", "Production"], settings);

        var failure = (await production.Should().ThrowAsync<Exception>()).Which;
        var messages = failure is AggregateException all ? string.Join("\n", all.InnerExceptions.Select(e => e.Message)) : failure.Message;
        messages.Should().Contain("Auth__Authority").And.Contain("Auth__Audience");
    }

    [Fact]
    public async Task Merges_may_count_as_stale_at_once_only_in_development()
    {
        var settings = TestHost.Settings(shared.Azurite.ConnectionString, queues: false);
        settings["Merges:StaleAfter"] = "00:00:00";
        // Outside Development the local host is no identity provider: the tenant's is named, as in Azure.
        settings["Auth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";
        settings["Auth:Audience"] = "api://leadfunctions";

        var production = () => StartAsync(["--port", "0", "--environment", "Production"], settings);

        (await production.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("Merges__StaleAfter").And.Contain("00:00:05");
        await using var development = await StartAsync(["--port", "0", "--environment", "Development"], settings);
    }

    [Fact]
    public async Task Health_is_503_naming_tables_and_queues_when_storage_is_out_of_reach()
    {
        // Ports held by sockets that never listen: every storage call is refused at once, on loopback, and no other test can take them.
        using var blob = ClosedPort.Reserve();
        using var queue = ClosedPort.Reserve();
        using var table = ClosedPort.Reserve();
        var unreachable = LeadFunctions.Azurite.AzuriteProcess.CreateConnectionString(blob.Port, queue.Port, table.Port);
        await using var host = await TestHost.StartAsync(unreachable, queues: false);

        using var response = await host.Client.GetAsync("health", TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var body = await response.JsonAsync();
        body["status"]!.GetValue<string>().Should().Be("unhealthy");
        body["tables"]!.GetValue<string>().Should().Be("unreachable");
        body["queues"]!.GetValue<string>().Should().Be("unreachable");
        body["unreachable"]!.AsArray().Select(n => n!.GetValue<string>()).Should().BeEquivalentTo("tables", "queues");
    }

    [Fact]
    public async Task Health_names_only_the_queues_when_only_they_are_out_of_reach()
    {
        using var queue = ClosedPort.Reserve();
        var azurite = shared.Azurite;
        await using var host = await TestHost.StartAsync(LeadFunctions.Azurite.AzuriteProcess.CreateConnectionString(azurite.BlobPort, queue.Port, azurite.TablePort), queues: false);

        using var response = await host.Client.GetAsync("health", TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var body = await response.JsonAsync();
        body["tables"]!.GetValue<string>().Should().Be("reachable");
        body["queues"]!.GetValue<string>().Should().Be("unreachable");
    }

    [Fact]
    public async Task Health_is_200_with_each_part_reachable()
    {
        var body = await shared.Client.GetJsonAsync("health");

        body["status"]!.GetValue<string>().Should().Be("healthy");
        body["tables"]!.GetValue<string>().Should().Be("reachable");
        body["queues"]!.GetValue<string>().Should().Be("reachable");
    }

    private static async Task<IAsyncDisposable> StartAsync(string[] args, Dictionary<string, string?> settings)
    {
        var app = await LeadFunctions.LocalHost.LocalHostApp.BuildAsync(args, c => c.AddInMemoryCollection(settings));
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A loopback port bound by a socket that never listens: connections to it are refused.</summary>
    private sealed class ClosedPort : IDisposable
    {
        private readonly System.Net.Sockets.Socket socket;

        private ClosedPort(System.Net.Sockets.Socket socket) => this.socket = socket;

        public int Port => ((IPEndPoint)socket.LocalEndPoint!).Port;

        public static ClosedPort Reserve()
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return new ClosedPort(socket);
        }

        public void Dispose() => socket.Dispose();
    }
}
