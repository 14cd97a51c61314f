using LeadFunctions.Azurite;

[assembly: AssemblyFixture(typeof(LeadFunctions.Functions.Tests.SharedHost))]

namespace LeadFunctions.Functions.Tests;

/// <summary>One in-memory Azurite and one local host for the whole test run (or, derived, for one class of tests with settings of their own).</summary>
public class SharedHost : IAsyncLifetime
{
    private readonly IDictionary<string, string?>? settings;

    public SharedHost()
    {
    }

    /// <param name="settings">Settings over the test host's own, for the derived class's tests alone.</param>
    protected SharedHost(IDictionary<string, string?> settings) => this.settings = settings;

    private AzuriteProcess? azurite;
    private TestHost? host;

    public AzuriteProcess Azurite => azurite ?? throw new InvalidOperationException("Not started.");

    public TestHost Host => host ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client => Host.Client;

    public async ValueTask InitializeAsync()
    {
        azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);
        host = await TestHost.StartAsync(azurite.ConnectionString, settings: settings);
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
