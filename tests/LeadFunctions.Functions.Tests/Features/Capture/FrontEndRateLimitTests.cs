using System.Net;
using System.Net.Sockets;
using LeadFunctions.Functions.Http;
using LeadFunctions.LocalHost.Http;

namespace LeadFunctions.Functions.Tests.Features.Capture;

/// <summary>
/// Two visitors, each connecting from an address of its own on loopback (127.0.0.2 and 127.0.0.3),
/// are rate-limited apart behind each front end the local host plays, however they lie in headers.
/// </summary>
public sealed class FrontEndRateLimitTests(SharedHost shared)
{
    private const int Limit = 3;

    [Theory]
    [InlineData(FrontEnd.None, "")]
    [InlineData(FrontEnd.AppService, ClientAddress.AppServiceHeader)]
    [InlineData(FrontEnd.FrontDoor, ClientAddress.FrontDoorHeader)]
    public async Task Two_visitors_are_rate_limited_apart_and_cannot_escape_by_claiming_another_address(FrontEnd frontEnd, string header)
    {
        var (first, second) = await RunAsync(frontEnd, header);

        first.Take(Limit).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Accepted));
        first.Skip(Limit).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.TooManyRequests), "the headers it sent named other addresses, which the platform overwrites or ignores");
        second.Should().Be(HttpStatusCode.Accepted, "the second visitor has a count of its own");
    }

    [Fact]
    public async Task Behind_app_service_without_the_header_every_visitor_shares_the_front_end_s_count()
    {
        var (first, second) = await RunAsync(FrontEnd.AppService, "");

        first.Skip(Limit).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.TooManyRequests));
        second.Should().Be(HttpStatusCode.TooManyRequests, "this is why Capture:ClientAddressHeader is X-Client-IP on Azure");
    }

    /// <summary>The first visitor's statuses for Limit + 2 captures, then the second visitor's, all within one clock minute (the limit's window).</summary>
    private async Task<(List<HttpStatusCode> First, HttpStatusCode Second)> RunAsync(FrontEnd frontEnd, string header)
    {
        await using var host = await TestHost.StartAsync(shared.Azurite.ConnectionString, queues: false, new Dictionary<string, string?>
        {
            [PlatformHops.FrontEndSetting] = frontEnd.ToString(),
            ["Capture:ClientAddressHeader"] = header,
            ["Capture:RateLimitPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        for (var attempt = 1; ; attempt++)
        {
            // Each attempt from addresses no earlier attempt used, so that its counts start at zero.
            var minute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
            using var first = From(host, IPAddress.Parse($"127.0.{attempt}.2"));
            using var second = From(host, IPAddress.Parse($"127.0.{attempt}.3"));
            var domain = Api.UniqueDomain();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < Limit + 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = TestRecords.Json(new { email = $"v{i}@{domain}" }) };
                request.Headers.Add("X-Client-IP", $"203.0.113.{i + 1}");
                request.Headers.Add("X-Azure-ClientIP", $"203.0.113.{i + 1}");
                request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
                using var response = await first.SendAsync(request, TestContext.Current.CancellationToken);
                statuses.Add(response.StatusCode);
            }
            using var other = await second.PostAsync("capture", TestRecords.Json(new { email = $"other@{domain}" }), TestContext.Current.CancellationToken);
            if (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 == minute || attempt == 3)
            {
                return (statuses, other.StatusCode);
            }
        }
    }

    /// <summary>A client whose connections leave from <paramref name="source"/>: another loopback address, so the host sees another peer.</summary>
    private static HttpClient From(TestHost host, IPAddress source)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = host.Client.BaseAddress };
    }
}
