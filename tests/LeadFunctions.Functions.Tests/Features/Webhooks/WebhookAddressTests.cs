using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Webhooks;

/// <summary>
/// Without Events:Webhooks:AllowInsecureLocal, a subscription to anything but a public HTTPS
/// address is refused with a 400 before any connection is made: a receiver listening on loopback
/// proves nothing reached it. (No address outside loopback is ever connected to: the refused ones
/// are refused before.)
/// </summary>
public sealed class WebhookAddressTests() : IsolatedHostTests()
{
    [Fact]
    public async Task Internal_and_insecure_addresses_are_refused_before_any_connection()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (200, ""));
        var port = receiver.Address.Port;
        string[] refused =
        [
            "http://10.0.0.1/hook",
            "https://10.0.0.1/hook",
            "https://192.168.1.20/hook",
            "http://169.254.169.254/latest/meta-data/",
            "https://169.254.169.254/metadata/instance",
            "https://[fd00:ec2::254]/",
            "https://metadata.google.internal/computeMetadata/v1/",
            $"http://127.0.0.1:{port}/hook",
            $"https://127.0.0.1:{port}/hook",
            $"https://localhost:{port}/hook",
            $"https://[::1]:{port}/hook",
            $"https://[::ffff:127.0.0.1]:{port}/hook",
            "https://0.0.0.0/hook",
        ];
        foreach (var url in refused)
        {
            var problem = await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url, events = new[] { "*" } }, HttpStatusCode.BadRequest);
            problem["errors"]!["url"]!.AsArray().Should().NotBeEmpty(url);
        }
        (await Client.GetJsonAsync("webhooks"))["items"]!.AsArray().Should().BeEmpty("nothing refused is stored");
        receiver.Requests.Should().BeEmpty("no connection is made to a refused address");
    }

    [Fact]
    public async Task The_reason_names_what_the_address_is()
    {
        var privateOne = await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = "https://10.0.0.1/", events = new[] { "*" } }, HttpStatusCode.BadRequest);
        privateOne["errors"]!["url"]![0]!.GetValue<string>().Should().Contain("private");
        var metadata = await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = "https://169.254.169.254/", events = new[] { "*" } }, HttpStatusCode.BadRequest);
        metadata["errors"]!["url"]![0]!.GetValue<string>().Should().Contain("metadata");
        var plain = await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = "http://hooks.example.com/", events = new[] { "*" } }, HttpStatusCode.BadRequest);
        plain["errors"]!["url"]![0]!.GetValue<string>().Should().Contain("https://");
    }
}
