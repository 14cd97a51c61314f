using Azure.Storage.Queues;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests;

/// <summary>A local host on a free port, with a client signed in as the first admin.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string AllowedOrigin = "https://shop.example";

    private TestHost(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    /// <summary>Signed in as the first admin (<see cref="DevCredentials.AdminEmail"/>), with a token from the host's development identity provider.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<TestHost> StartAsync(string storage, bool queues = true, IDictionary<string, string?>? settings = null)
    {
        var values = Settings(storage, queues);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var app = await LocalHostApp.BuildAsync(["--port", "0"], c => c.AddInMemoryCollection(values));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var client = new HttpClient { BaseAddress = new Uri(LocalHostApp.GetBaseAddress(app), "api/") };
        try
        {
            DevCredentials.SignIn(client, await DevCredentials.AdminTokenAsync(client.BaseAddress));
        }
        catch
        {
            client.Dispose();
            await app.DisposeAsync();
            throw;
        }
        return new TestHost(app, client);
    }

    /// <summary>The settings every test host starts with.</summary>
    public static Dictionary<string, string?> Settings(string storage, bool queues) => new()
    {
        ["AzureWebJobsStorage"] = storage,
        ["Auth:Admins"] = DevCredentials.AdminEmail,
        ["LocalHost:Queues:Enabled"] = queues ? "true" : "false",
        [LocalHostApp.BannerSetting] = "false",
        ["Capture:AllowedOrigins"] = AllowedOrigin,
        ["Capture:RateLimitPerMinute"] = "30",
        // The tests play App Service's front end: each capture names its visitor in X-Client-IP.
        ["Capture:ClientAddressHeader"] = "X-Client-IP",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>
    /// Records stored (in the leads table itself, not the list, which shows a capture once its
    /// check ran), all of them or those with one normalized email.
    /// </summary>
    public async Task<int> CountStoredLeadsAsync(string? normalizedEmail = null)
    {
        var connection = Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString;
        var table = new Azure.Data.Tables.TableClient(connection, StorageNames.LeadsTable);
        // The app makes its tables with its first write: a test that stores nothing may run first.
        await table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
        var filter = normalizedEmail is null
            ? Azure.Data.Tables.TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow}")
            : Azure.Data.Tables.TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow} and Email eq {normalizedEmail}");
        var count = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(filter, select: ["RowKey"], cancellationToken: TestContext.Current.CancellationToken))
        {
            count++;
        }
        return count;
    }

    /// <summary>Nothing running and nothing left on the queue (delayed messages included): the work and all it caused is done.</summary>
    public async Task QuietAsync(TimeSpan patience)
    {
        var executions = Services.GetRequiredService<FunctionExecutions>();
        var connection = Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString;
        var queues = new[] { StorageNames.IngestQueue, StorageNames.OutboxQueue, StorageNames.WebhookQueue, StorageNames.ErasureQueue }.Select(name => new QueueClient(connection, name)).ToList();
        var deadline = DateTime.UtcNow + patience;
        var quietRounds = 0;
        while (quietRounds < 3)
        {
            var waiting = 0;
            foreach (var queue in queues)
            {
                waiting += (await queue.ExistsAsync(TestContext.Current.CancellationToken)).Value
                    ? (await queue.GetPropertiesAsync(TestContext.Current.CancellationToken)).Value.ApproximateMessagesCount
                    : 0;
            }
            quietRounds = waiting == 0 && executions.Running == 0 ? quietRounds + 1 : 0;
            DateTime.UtcNow.Should().BeBefore(deadline, "the background work should settle");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
