using LeadFunctions.Azurite;
using LeadFunctions.LocalHost;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

[assembly: AssemblyFixture(typeof(LeadFunctions.Client.Tests.ClientHost))]

namespace LeadFunctions.Client.Tests;

/// <summary>An Azurite and a local host for the test run, and the generated client pointed at them.</summary>
public sealed class ClientHost : IAsyncLifetime
{
    public const string AdminEmail = "admin@client.test";

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
            ["Auth:Admins"] = AdminEmail,
            [LocalHostApp.BannerSetting] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // The webhook test's receiver listens on loopback.
            ["Events:Webhooks:AllowInsecureLocal"] = "true",
        }));
        await app.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = LocalHostApp.GetBaseAddress(app);
        ApiKey = await MakeApiKeyAsync(BaseAddress);
        Client = Create(BaseAddress, ApiKey, out http);
    }

    /// <summary>An admin API key, made as an admin would: signed in (the local host's development identity provider), POST /apikeys.</summary>
    public string ApiKey { get; private set; } = "";

    private static async Task<string> MakeApiKeyAsync(Uri host)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(host, "api/") };
        using var token = await admin.PostAsJsonAsync(new Uri(host, ".auth/dev/token"), new { email = AdminEmail, roles = new[] { "admin" } });
        token.EnsureSuccessStatusCode();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>());
        using var key = await admin.PostAsJsonAsync("apikeys", new { name = "generated client tests", role = "admin" });
        key.EnsureSuccessStatusCode();
        return JsonNode.Parse(await key.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
    }

    /// <summary>How a caller sets the client up: Kiota's API key provider with the key, and the API's base address.</summary>
    public static LeadFunctionsClient Create(Uri host, string apiKey, out HttpClient http)
    {
        // Kiota's own handlers (retries, redirects, header inspection), and the key in x-api-key on every
        // request. Kiota's ApiKeyAuthenticationProvider does the same but only over https, and the local
        // host is plain http on loopback.
        http = KiotaClientFactory.Create();
        http.DefaultRequestHeaders.Add("x-api-key", apiKey);
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
