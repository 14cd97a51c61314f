using System.Net;
using System.Net.Sockets;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Webhooks;

namespace LeadFunctions.Infrastructure.Tests.Webhooks;

/// <summary>
/// The address rules after DNS, with a resolver the test controls (no lookup leaves the machine,
/// no connection goes beyond loopback): a name that resolves to an internal address is refused
/// when saved, and a name that resolves somewhere public when saved but to loopback at delivery
/// (DNS rebinding) is refused inside the connection, before it is made.
/// </summary>
public sealed class WebhookTargetsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(Func<string, IPAddress[]> answer) =>
        (host, _) => Task.FromResult(answer(host));

    [Fact]
    public async Task A_name_that_resolves_to_loopback_or_a_private_address_is_refused()
    {
        var targets = new WebhookTargets(new WebhookSinkOptions(), Resolver(host => host switch
        {
            "loop.example.test" => [IPAddress.Parse("127.0.0.1")],
            "mixed.example.test" => [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.1.2.3")],
            "public.example.test" => [IPAddress.Parse("93.184.216.34")],
            _ => [],
        }));
        (await targets.ProblemAsync("https://loop.example.test/hook", Ct)).Should().Contain("127.0.0.1").And.Contain("loopback");
        (await targets.ProblemAsync("https://mixed.example.test/hook", Ct)).Should().Contain("private", "every address of the name must be allowed");
        (await targets.ProblemAsync("https://nowhere.example.test/hook", Ct)).Should().Contain("does not resolve");
        (await targets.ProblemAsync("https://public.example.test/hook", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task The_development_setting_opens_loopback_and_nothing_else()
    {
        var targets = new WebhookTargets(new WebhookSinkOptions { AllowInsecureLocal = true }, Resolver(host => host == "lan.example.test" ? [IPAddress.Parse("192.168.0.10")] : [IPAddress.Parse("93.184.216.34")]));
        (await targets.ProblemAsync("http://127.0.0.1:7071/hook", Ct)).Should().BeNull();
        (await targets.ProblemAsync("https://lan.example.test/hook", Ct)).Should().Contain("private");
        (await targets.ProblemAsync("http://public.example.test/hook", Ct)).Should().Contain("http://", "plain http goes nowhere but this machine");
    }

    [Fact]
    public async Task Names_that_resolve_to_translators_tunnels_or_the_platform_are_refused_with_the_development_setting_too()
    {
        var targets = new WebhookTargets(new WebhookSinkOptions { AllowInsecureLocal = true }, Resolver(host => host switch
        {
            "nat64-local.example.test" => [IPAddress.Parse("64:ff9b:1::a00:1")],
            "nat64-private.example.test" => [IPAddress.Parse("64:ff9b::c0a8:1")],
            "nat64-loop.example.test" => [IPAddress.Parse("64:ff9b::7f00:1")],
            "teredo.example.test" => [IPAddress.Parse("2001:0:4136:e378:8000:63bf:3fff:fdd2")],
            "wire.example.test" => [IPAddress.Parse("168.63.129.16")],
            "imds.example.test" => [IPAddress.Parse("169.254.169.254")],
            _ => [IPAddress.Parse("93.184.216.34")],
        }));
        (await targets.ProblemAsync("https://nat64-local.example.test/hook", Ct)).Should().Contain("private");
        (await targets.ProblemAsync("https://nat64-private.example.test/hook", Ct)).Should().Contain("private");
        (await targets.ProblemAsync("https://nat64-loop.example.test/hook", Ct)).Should().Contain("loopback");
        (await targets.ProblemAsync("https://teredo.example.test/hook", Ct)).Should().Contain("tunnel");
        (await targets.ProblemAsync("https://wire.example.test/hook", Ct)).Should().Contain("metadata");
        (await targets.ProblemAsync("https://imds.example.test/hook", Ct)).Should().Contain("metadata");
    }

    [Fact]
    public async Task Malformed_addresses_are_refused_before_any_lookup_with_the_development_setting()
    {
        var lookups = 0;
        var targets = new WebhookTargets(new WebhookSinkOptions { AllowInsecureLocal = true }, (_, _) =>
        {
            Interlocked.Increment(ref lookups);
            return Task.FromResult(new[] { IPAddress.Loopback });
        });
        foreach (var url in new[] { "http://localhost:0/hook", "http://loop.example.test:0/hook", "http://loop.example.test:7071/a b", "http://loop.example.test:7071/a\0", "http://loop.example.test:7071/a\nb" })
        {
            (await targets.ProblemAsync(url, Ct)).Should().NotBeNull(url);
        }
        lookups.Should().Be(0);
        (await targets.ProblemAsync("http://loop.example.test:7071/hook", Ct)).Should().BeNull("the same name, well formed, is this machine");
        lookups.Should().Be(1);
    }

    [Fact]
    public async Task An_address_stored_before_these_rules_is_refused_at_delivery_before_connecting()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var options = new WebhookSinkOptions { AllowInsecureLocal = true };
            using var sender = new WebhookSender(new WebhookTargets(options), options, TimeProvider.System);
            foreach (var url in new[] { $"http://127.0.0.1:{port}/ho ok", $"http://127.0.0.1:{port}/a\r\nX-Injected: 1", "http://127.0.0.1:0/hook" })
            {
                var outcome = await sender.PostAsync(url, LeadFunctions.Domain.Webhooks.WebhookSignature.NewSecret(), LeadFunctions.Domain.Ids.New(), "{}", Ct);

                outcome.Delivered.Should().BeFalse(url);
                outcome.StatusCode.Should().BeNull(url);
            }
            listener.Pending().Should().BeFalse("no connection was made");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_name_rebound_to_loopback_after_it_was_saved_is_refused_at_delivery_before_connecting()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var rebound = false;
            var options = new WebhookSinkOptions();
            var targets = new WebhookTargets(options, Resolver(_ => rebound ? [IPAddress.Loopback] : [IPAddress.Parse("93.184.216.34")]));
            var url = $"https://rebind.example.test:{port}/hook";
            (await targets.ProblemAsync(url, Ct)).Should().BeNull("when saved it resolved to a public address");

            rebound = true;
            using var sender = new WebhookSender(targets, options, TimeProvider.System);
            var outcome = await sender.PostAsync(url, LeadFunctions.Domain.Webhooks.WebhookSignature.NewSecret(), LeadFunctions.Domain.Ids.New(), "{}", Ct);

            outcome.Delivered.Should().BeFalse();
            outcome.StatusCode.Should().BeNull();
            outcome.Error.Should().Contain("loopback");
            listener.Pending().Should().BeFalse("no connection was made");
        }
        finally
        {
            listener.Stop();
        }
    }
}
