using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadFunctions.LocalHost.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace LeadFunctions.LocalHost.Tests.Http;

/// <summary>What a function sees of its caller behind each front end the local host plays, and the host names it answers.</summary>
public sealed class PlatformHopsTests(LocalHostFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_front_end_the_caller_is_the_connection_and_its_forwarded_claims_are_gone()
    {
        var seen = await PeerAsync(host.Client);

        seen.GetProperty("remote").GetString().Should().Be("127.0.0.1");
        seen.GetProperty("forwardedFor").GetString().Should().BeEmpty("the Functions host replaces it and the worker consumes it");
        seen.GetProperty("clientIp").GetString().Should().Be("203.0.113.66", "nothing in front vouches for or overwrites it");
    }

    [Fact]
    public async Task Behind_app_service_every_visitor_shares_the_front_end_address_and_x_client_ip_names_the_caller()
    {
        await using var app = await StartAsync(FrontEnd.AppService);

        var seen = await PeerAsync(app.Client);

        seen.GetProperty("remote").GetString().Should().Be(PlatformHops.AppServiceFrontEnd.ToString());
        seen.GetProperty("clientIp").GetString().Should().Be("127.0.0.1", "the front end overwrites what the caller claimed");
        seen.GetProperty("clientIpPort").GetString().Should().StartWith("127.0.0.1:");
        seen.GetProperty("azureClientIp").GetString().Should().Be("203.0.113.67", "no Front Door in this layout");
        seen.GetProperty("forwardedFor").GetString().Should().BeEmpty();
    }

    [Fact]
    public async Task Behind_front_door_x_azure_socket_ip_names_the_caller_x_azure_client_ip_is_what_it_claimed_and_x_client_ip_the_edge()
    {
        await using var app = await StartAsync(FrontEnd.FrontDoor);

        var seen = await PeerAsync(app.Client);

        seen.GetProperty("remote").GetString().Should().Be(PlatformHops.AppServiceFrontEnd.ToString());
        seen.GetProperty("azureSocketIp").GetString().Should().Be("127.0.0.1");
        seen.GetProperty("azureClientIp").GetString().Should().Be("203.0.113.65", "Front Door takes it from the caller's X-Forwarded-For: why the app does not trust it");
        seen.GetProperty("clientIp").GetString().Should().Be(PlatformHops.FrontDoorEdge.ToString());
        seen.GetProperty("forwardedFor").GetString().Should().BeEmpty();
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1.nip.io:{port}")]
    [InlineData("localhost:1")]
    [InlineData("10.0.0.1:{port}")]
    public async Task A_request_for_another_host_name_is_refused_so_a_rebound_web_page_cannot_drive_it(string hostHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/hello/World");
        request.Headers.Host = hostHeader.Replace("{port}", host.Client.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await host.Client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task This_machine_s_names_on_the_port_it_listens_on_are_answered(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/hello/World");
        request.Headers.Host = $"{name}:{host.Client.BaseAddress!.Port}";

        using var response = await host.Client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unknown_front_end_stops_the_host_at_start_naming_the_setting()
    {
        var settings = LocalHostFixture.Settings(host.Azurite.ConnectionString);
        settings[PlatformHops.FrontEndSetting] = "Cloudflare";

        var build = () => LocalHostApp.BuildAsync(["--port", "0"], c => c.AddInMemoryCollection(settings));

        (await build.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain(PlatformHops.FrontEndSetting);
    }

    private static async Task<JsonElement> PeerAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/peer");
        // What a caller might claim to escape its rate limit.
        request.Headers.Add("X-Forwarded-For", "203.0.113.65");
        request.Headers.Add("X-Client-IP", "203.0.113.66");
        request.Headers.Add("X-Azure-ClientIP", "203.0.113.67");
        using var response = await client.SendAsync(request, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<Started> StartAsync(FrontEnd frontEnd)
    {
        var settings = LocalHostFixture.Settings(host.Azurite.ConnectionString);
        settings[PlatformHops.FrontEndSetting] = frontEnd.ToString();
        settings[LocalHostApp.QueuesEnabledSetting] = "false";
        settings[LocalHostApp.TimersEnabledSetting] = "false";
        var app = await LocalHostApp.BuildAsync(["--port", "0"], c => c.AddInMemoryCollection(settings));
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
