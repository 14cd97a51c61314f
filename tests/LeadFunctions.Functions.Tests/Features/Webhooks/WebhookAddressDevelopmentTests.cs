using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Webhooks;

/// <summary>
/// Events:Webhooks:AllowInsecureLocal opens loopback and nothing more: a malformed address (spaces,
/// port 0, control characters) and every internal range stay refused with a 400, before any
/// connection (a receiver on loopback proves nothing reached it; no other address is connected to).
/// </summary>
public sealed class WebhookAddressDevelopmentTests() : IsolatedHostTests(settings: new Dictionary<string, string?>
{
    ["Events:Webhooks:AllowInsecureLocal"] = "true",
})
{
    [Fact]
    public async Task Malformed_and_internal_addresses_are_refused_with_the_development_setting()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (200, ""));
        var port = receiver.Address.Port;
        string[] refused =
        [
            $"http://127.0.0.1:{port}/ho ok",
            $"http://127.0.0.1:{port}/hook ",
            $"http://127.0.0.1:{port}/a\0b",
            $"http://127.0.0.1:{port}/a\r\nX-Injected: 1",
            $"http://127.0.0.1:{port}/a\tb",
            $"http://localhost:{port}/a\u0085b",
            $"http://localhost:{port}/a\u202eb",
            "http://127.0.0.1:0/hook",
            "http://localhost:0/hook",
            "https://localhost:0/hook",
            "https://[64:ff9b:1::a00:1]/hook",
            "https://[64:ff9b::7f00:1]/hook",
            "https://[64:ff9b::a9fe:a9fe]/hook",
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook",
            "https://168.63.129.16/machine?comp=goalstate",
            "http://169.254.169.254/metadata/instance",
            "https://10.0.0.1/hook",
        ];
        foreach (var url in refused)
        {
            var problem = await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url, events = new[] { "*" } }, HttpStatusCode.BadRequest);
            problem["errors"]!["url"]!.AsArray().Should().NotBeEmpty(url);
        }
        (await Client.GetJsonAsync("webhooks"))["items"]!.AsArray().Should().BeEmpty("nothing refused is stored");
        receiver.Requests.Should().BeEmpty("no connection is made to a refused address");

        var accepted = await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = $"http://127.0.0.1:{port}/hook", events = new[] { "*" } }, HttpStatusCode.Created);
        accepted["url"]!.GetValue<string>().Should().Be($"http://127.0.0.1:{port}/hook", "the setting still opens this machine");
    }
}
