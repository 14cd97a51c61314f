using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadFunctions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Benchmarks;

/// <summary>A local host in this process on a free port, the one a user runs, with its counters and the log of finished checks.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@bench.test";
    private static readonly string[] AdminRoles = ["admin"];

    private static int nextIp;

    private BenchHost(WebApplication app, HttpClient client, CheckedLog checkedLog)
    {
        App = app;
        Client = client;
        Checked = checkedLog;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public CheckedLog Checked { get; }

    public IServiceProvider Services => App.Services;

    public Counts Take() => Counts.Take(Services);

    public static async Task<BenchHost> StartAsync(string storage, bool queues, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Auth:Admins"] = AdminEmail,
            ["LocalHost:Queues:Enabled"] = queues ? "true" : "false",
            [LocalHostApp.BannerSetting] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // The benchmark plays App Service's front end: each capture names its visitor in X-Client-IP.
            ["Capture:ClientAddressHeader"] = "X-Client-IP",
            [$"Logging:LogLevel:{CheckedLog.Category}"] = "Information",
            ["Logging:Console:LogLevel:Default"] = "Warning",
            [$"Logging:Console:LogLevel:{CheckedLog.Category}"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var app = await LocalHostApp.BuildAsync(["--port", "0"], c => c.AddInMemoryCollection(settings));
        var checkedLog = new CheckedLog();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(checkedLog);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(LocalHostApp.GetBaseAddress(app), "api/"), Timeout = TimeSpan.FromMinutes(5) };
        // Signed in as the first admin, through the local host's development identity provider: the
        // token is checked on every call as in Azure, so its cost is in every figure.
        using (var token = await client.PostAsJsonAsync(new Uri(client.BaseAddress, "/.auth/dev/token"), new { email = AdminEmail, roles = AdminRoles, expiresIn = 86_400 }))
        {
            token.EnsureSuccessStatusCode();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Bearer", JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>());
        }
        return new BenchHost(app, client, checkedLog);
    }

    /// <summary>A web-form capture from an address of its own (the rate limit counts per address).</summary>
    public async Task<string> CaptureAsync(object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = JsonContent.Create(body) };
        var ip = Interlocked.Increment(ref nextIp);
        request.Headers.Add("X-Client-IP", $"10.{ip / 65536 % 256}.{ip / 256 % 256}.{ip % 256}");
        using var response = await Client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
    }

    public async Task<JsonObject> GetAsync(string path, CancellationToken ct)
    {
        using var response = await Client.GetAsync(path, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
    }

    public async Task<JsonObject> PostAsync(string path, object body, CancellationToken ct)
    {
        using var response = await Client.PostAsJsonAsync(path, body, ct);
        if (!response.IsSuccessStatusCode)
        {
            // The problem's detail says which field, which is what the person running this needs.
            throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}", null, response.StatusCode);
        }
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
    }

    public async Task<JsonObject> PutAsync(string path, object body, CancellationToken ct)
    {
        using var response = await Client.PutAsJsonAsync(path, body, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
