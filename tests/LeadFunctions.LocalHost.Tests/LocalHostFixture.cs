using LeadFunctions.Azurite;
using LeadFunctions.LocalHost.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

[assembly: AssemblyFixture(typeof(LeadFunctions.LocalHost.Tests.LocalHostFixture))]

namespace LeadFunctions.LocalHost.Tests;

/// <summary>One in-memory Azurite and one local host on a free port for the whole test assembly.</summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    public const string FunctionKey = "test-key";

    private WebApplication? app;

    public AzuriteProcess Azurite { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The host's services, for what it decided at start (its settings, its identity provider's key).</summary>
    public IServiceProvider Services => app!.Services;

    public Uri BaseAddress => LocalHostApp.GetBaseAddress(app!);

    public async ValueTask InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);
        app = await LocalHostApp.BuildAsync(["--port", "0"], configuration => configuration.AddInMemoryCollection(Settings(Azurite.ConnectionString)));
        await app.StartAsync(TestContext.Current.CancellationToken);
        Client = new HttpClient { BaseAddress = LocalHostApp.GetBaseAddress(app) };
    }

    public static readonly TimeSpan QueueLease = TimeSpan.FromSeconds(3);

    /// <summary>The app setting the test timer's schedule names (%Timers:Tick%).</summary>
    public const string TickSetting = "Timers:Tick";

    public static Dictionary<string, string?> Settings(string storage, string metadataFile = "test.functions.metadata") => new()
    {
        [LocalHostApp.StorageSetting] = storage,
        [LocalHostApp.MetadataFileSetting] = Path.Combine(AppContext.BaseDirectory, metadataFile),
        [LocalHostApp.HostJsonFileSetting] = Path.Combine(AppContext.BaseDirectory, "test.host.json"),
        [FunctionKeyAuthorization.ConfigurationKey] = FunctionKey,
        [LocalHostApp.BannerSetting] = "false",
        // Short, so that a test can hold an invocation past several leases.
        [LocalHostApp.QueueLeaseSetting] = QueueLease.ToString(),
        [TickSetting] = "*/1 * * * * *",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Function"] = "Critical",
    };

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}
