using LeadFunctions.Azurite;
using LeadFunctions.LocalHost;
using LeadFunctions.LocalHost.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

[assembly: AssemblyFixture(typeof(LeadFunctions.Client.Tests.ClientHost))]

namespace LeadFunctions.Client.Tests;

/// <summary>An Azurite and a local host for the test run, and the generated client pointed at them.</summary>
public sealed class ClientHost : IAsyncLifetime
{
    public const string FunctionKey = "client-test-key";

    private AzuriteProcess? azurite;
    private WebApplication? app;
    private HttpClient? http;

    public LeadFunctionsClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);
        app = await LocalHostApp.BuildAsync(["--port", "0"], configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [LocalHostApp.StorageSetting] = azurite.ConnectionString,
            [FunctionKeyAuthorization.ConfigurationKey] = FunctionKey,
            [LocalHostApp.BannerSetting] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // The webhook test's receiver listens on loopback.
            ["Events:Webhooks:AllowInsecureLocal"] = "true",
        }));
        await app.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = LocalHostApp.GetBaseAddress(app);
        Client = Create(BaseAddress, out http);
    }

    /// <summary>How a caller sets the client up: an HttpClient that sends the function key, and the API's base address.</summary>
    public static LeadFunctionsClient Create(Uri host, out HttpClient http)
    {
        // Kiota's own handlers (retries, redirects, header inspection), and the key on every request.
        http = KiotaClientFactory.Create();
        http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = new Uri(host, "api").ToString(),
        };
        return new LeadFunctionsClient(adapter);
    }

    public async ValueTask DisposeAsync()
    {
        http?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
