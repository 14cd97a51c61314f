using LeadFunctions.Azurite;

[assembly: AssemblyFixture(typeof(LeadFunctions.Functions.Tests.SharedHost))]

namespace LeadFunctions.Functions.Tests;

/// <summary>One in-memory Azurite and one local host for the whole test run.</summary>
public sealed class SharedHost : IAsyncLifetime
{
    private AzuriteProcess? azurite;
    private TestHost? host;

    public AzuriteProcess Azurite => azurite ?? throw new InvalidOperationException("Not started.");

    public TestHost Host => host ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client => Host.Client;

    public async ValueTask InitializeAsync()
    {
        azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);
        host = await TestHost.StartAsync(azurite.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
