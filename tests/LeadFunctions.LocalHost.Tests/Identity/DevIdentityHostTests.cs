using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadFunctions.LocalHost.Http;
using LeadFunctions.LocalHost.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.LocalHost.Tests.Identity;

/// <summary>Where the development provider exists and whom it answers.</summary>
public sealed class DevIdentityHostTests(LocalHostFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outside_development_the_settings_are_not_replaced_and_the_provider_s_paths_are_404()
    {
        // Outside Development the app needs a real authority to start (checked at start), as in Azure.
        const string tenant = "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0";
        await using var app = await StartAsync("Production", new()
        {
            [DevIdentity.AuthoritySetting] = tenant,
            [DevIdentity.AudienceSetting] = "api://leadfunctions-test",
        });

        var configuration = app.App.Services.GetRequiredService<IConfiguration>();
        configuration[DevIdentity.AuthoritySetting].Should().Be(tenant);
        configuration[DevIdentity.ClientIdSetting].Should().BeNullOrEmpty("only Development defaults the console's client id");
        app.App.Services.GetService<DevCertificate>().Should().BeNull("no https listener is opened for a provider that does not exist");
        foreach (var path in new[] { ".auth/dev/.well-known/openid-configuration", ".auth/dev/keys", ".auth/dev/authorize?client_id=x" })
        {
            (await app.Client.GetAsync(path, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }
        using var token = await app.Client.PostAsJsonAsync(".auth/dev/token", new { email = "lea@sales.test" }, Ct);
        token.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Settings_given_in_development_are_kept_and_tokens_carry_the_configured_audience()
    {
        await using var app = await StartAsync("Development", new()
        {
            [DevIdentity.AuthoritySetting] = "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
            [DevIdentity.AudienceSetting] = "api://leadfunctions-test",
        });

        var configuration = app.App.Services.GetRequiredService<IConfiguration>();
        configuration[DevIdentity.AuthoritySetting].Should().Be("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0");
        var token = await DevTokenValidator.TokenAsync(app.Client, new { email = "lea@sales.test" });
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Audiences.Should().Equal("api://leadfunctions-test");
    }

    [Fact]
    public async Task The_token_endpoint_refuses_a_client_that_is_not_on_this_machine()
    {
        var context = new DefaultHttpContext { RequestServices = host.Services };
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream("""{"email":"lea@sales.test"}"""u8.ToArray());
        context.Response.Body = new MemoryStream();

        await DevIdentityEndpoints.TokenAsync(context);

        context.Response.StatusCode.Should().Be(StatusCodes.Status403Forbidden);
        context.Response.ContentType.Should().Be("application/problem+json");
        context.Response.Body.Position = 0;
        (await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body, cancellationToken: Ct)).GetProperty("status").GetInt32().Should().Be(403);
    }

    [Fact]
    public async Task Behind_a_played_front_end_the_token_endpoint_still_judges_the_real_connection()
    {
        await using var app = await StartAsync("Development", new() { [PlatformHops.FrontEndSetting] = nameof(FrontEnd.AppService) });

        using var response = await app.Client.PostAsJsonAsync(".auth/dev/token", new { email = "lea@sales.test" }, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the front end's address stands in for the caller only for the functions");
    }

    private async Task<Started> StartAsync(string environment, Dictionary<string, string?>? extra = null)
    {
        var settings = LocalHostFixture.Settings(host.Azurite.ConnectionString);
        settings[LocalHostApp.QueuesEnabledSetting] = "false";
        settings[LocalHostApp.TimersEnabledSetting] = "false";
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        var app = await LocalHostApp.BuildAsync(["--port", "0", "--environment", environment], c => c.AddInMemoryCollection(settings));
        await app.StartAsync(Ct);
        return new Started(app, new HttpClient { BaseAddress = LocalHostApp.GetBaseAddress(app) });
    }

    private sealed record Started(WebApplication App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
