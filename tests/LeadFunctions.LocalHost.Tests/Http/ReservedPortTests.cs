using System.Net;
using System.Net.Sockets;
using LeadFunctions.LocalHost.Http;
using LeadFunctions.LocalHost.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.LocalHost.Tests.Http;

/// <summary>Port 0: the host's address (and its development sign-in's) is known before the app is built, and Kestrel listens on the sockets that reserved them.</summary>
public sealed class ReservedPortTests(LocalHostFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_port_chosen_before_the_build_is_the_one_kestrel_listens_on_until_it_stops()
    {
        var settings = LocalHostFixture.Settings(host.Azurite.ConnectionString);
        settings[LocalHostApp.QueuesEnabledSetting] = "false";
        settings[LocalHostApp.TimersEnabledSetting] = "false";
        var app = await LocalHostApp.BuildAsync(["--port", "0"], c => c.AddInMemoryCollection(settings));
        var port = app.Services.GetRequiredService<ReservedLoopbackPort>().Port;
        // The development sign-in's https listener reserves its own port the same way.
        var identity = app.Services.GetRequiredService<DevIdentityListener>();
        var identityPort = identity.Reserved!.Port;
        identityPort.Should().NotBe(port);
        new Uri(app.Services.GetRequiredService<IConfiguration>()["Auth:Authority"]!).Port.Should().Be(identityPort, "settings read at build time already name it");

        // Bound, not yet listening: the port is taken, and a connection is refused rather than answered by someone else.
        var beforeStart = () => new TcpClient().ConnectAsync(IPAddress.Loopback, port, Ct).AsTask();
        (await beforeStart.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);

        await app.StartAsync(Ct);
        LocalHostApp.GetBaseAddress(app).Should().Be(new Uri($"http://127.0.0.1:{port}/"));
        using (var client = new HttpClient { BaseAddress = LocalHostApp.GetBaseAddress(app) })
        {
            (await client.GetAsync(".auth/dev/keys", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        using (var https = new HttpClient(identity.Certificate.Handler()))
        {
            (await https.GetAsync($"https://127.0.0.1:{identityPort}/.auth/dev/keys", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await app.StopAsync(Ct);
        await app.DisposeAsync();
        foreach (var freed in new[] { port, identityPort })
        {
            using var next = new TcpListener(IPAddress.Loopback, freed);
            next.Start();
            next.Stop();
        }
    }
}
