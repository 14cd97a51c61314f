using System.Net;
using System.Net.Sockets;
using LeadFunctions.LocalHost.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.LocalHost.Tests.Http;

/// <summary>Port 0: the host's address is known before the app is built, and Kestrel listens on the socket that reserved it.</summary>
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
        new Uri(app.Services.GetRequiredService<IConfiguration>()["Auth:Authority"]!).Port.Should().Be(port, "settings read at build time already name it");

        // Bound, not yet listening: the port is taken, and a connection is refused rather than answered by someone else.
        var beforeStart = () => new TcpClient().ConnectAsync(IPAddress.Loopback, port, Ct).AsTask();
        (await beforeStart.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);

        await app.StartAsync(Ct);
        LocalHostApp.GetBaseAddress(app).Should().Be(new Uri($"http://127.0.0.1:{port}/"));
        using (var client = new HttpClient { BaseAddress = LocalHostApp.GetBaseAddress(app) })
        {
            (await client.GetAsync(".auth/dev/keys", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await app.StopAsync(Ct);
        await app.DisposeAsync();
        using var next = new TcpListener(IPAddress.Loopback, port);
        next.Start();
        next.Stop();
    }
}
