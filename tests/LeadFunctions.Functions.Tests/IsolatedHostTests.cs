using LeadFunctions.Azurite;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests;

/// <summary>
/// Tests that need an Azurite and a local host of their own: no queue is read unless asked, so
/// that the test alone decides what runs, and the fault seam touches no other test.
/// </summary>
public abstract class IsolatedHostTests(bool queues = false, IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private AzuriteProcess? azurite;
    private TestHost? host;

    protected TestHost Host => host ?? throw new InvalidOperationException("Not started.");

    protected HttpClient Client => Host.Client;

    protected WriteFaults Faults => Host.Services.GetRequiredService<WriteFaults>();

    public async ValueTask InitializeAsync()
    {
        azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);
        host = await TestHost.StartAsync(azurite.ConnectionString, queues, settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            Faults.Reset();
            await host.DisposeAsync();
        }
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
