using System.Net;
using LeadFunctions.Domain.Webhooks;

namespace LeadFunctions.Domain.Tests.Webhooks;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("fd00:ec2::254", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("100.100.100.200", "metadata")]
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("169.254.10.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("0.0.0.0", "reserved")]
    [InlineData("::", "reserved")]
    [InlineData("224.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("2002:0a00:0001::1", "private")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("64:ff9b:1::a00:1", "private")]
    [InlineData("64:ff9b:1::808:808", "private")]
    [InlineData("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "private")]
    [InlineData("64:ff9b:2::808:808", "reserved")]
    [InlineData("2001::1", "tunnel")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "tunnel")]
    [InlineData("168.63.129.16", "metadata")]
    [InlineData("::ffff:168.63.129.16", "metadata")]
    [InlineData("64:ff9b::a83f:8110", "metadata")]
    [InlineData("2002:a83f:8110::1", "metadata")]
    public void Internal_addresses_are_named_for_what_they_are(string address, string kind) =>
        WebhookAddresses.Classify(IPAddress.Parse(address)).Should().Be(kind);

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("168.63.129.17")]
    [InlineData("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed(string address) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address), allowLoopback: false).Should().BeNull();

    [Fact]
    public void Loopback_is_allowed_only_when_the_setting_opens_it_and_then_nothing_else_is()
    {
        WebhookAddresses.Refusal(IPAddress.Loopback, allowLoopback: false).Should().Contain("loopback");
        WebhookAddresses.Refusal(IPAddress.Loopback, allowLoopback: true).Should().BeNull();
        WebhookAddresses.Refusal(IPAddress.Parse("10.0.0.1"), allowLoopback: true).Should().Contain("private");
        WebhookAddresses.Refusal(IPAddress.Parse("93.184.216.34"), allowLoopback: true, loopbackOnly: true).Should().Contain("http://");
        WebhookAddresses.Refusal(IPAddress.Parse("::ffff:127.0.0.1"), allowLoopback: true).Should().BeNull("a mapped address is this machine's own");
    }

    [Theory]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::1")]
    public void Loopback_carried_to_a_translator_or_relay_is_not_this_machine_and_stays_refused(string address) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address), allowLoopback: true).Should().Contain("loopback");

    [Theory]
    [InlineData("http://hooks.example.com/x", "https://")]
    [InlineData("ftp://hooks.example.com/x", "https://")]
    [InlineData("hooks.example.com/x", "absolute")]
    [InlineData("https://user:pass@hooks.example.com/x", "password")]
    [InlineData("https://hooks.example.com/x#part", "fragment")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1", "metadata")]
    [InlineData("https://localhost:8443/hook", "loopback")]
    [InlineData("https://api.localhost/hook", "loopback")]
    public void Addresses_are_refused_for_their_shape_before_any_lookup(string url, string reason)
    {
        WebhookAddresses.ShapeProblem(url, allowInsecureLocal: false, out var uri).Should().Contain(reason);
        uri.Should().BeNull();
    }

    [Theory]
    [InlineData("http://localhost:7071/ho ok")]
    [InlineData(" http://localhost:7071/hook")]
    [InlineData("http://localhost:7071/hook ")]
    [InlineData("http://localhost:7071/a\0b")]
    [InlineData("http://localhost:7071/a\tb")]
    [InlineData("http://localhost:7071/a\r\nX-Injected: 1")]
    [InlineData("http://localhost:7071/a\u007fb")]
    [InlineData("http://localhost:7071/a\u0085b")]
    [InlineData("http://localhost:7071/a\u00a0b")]
    [InlineData("http://localhost:7071/a\u2028b")]
    [InlineData("http://localhost:7071/a\u200bb")]
    [InlineData("http://localhost:7071/a\u202eb")]
    [InlineData("https://hooks.example.com/a b")]
    public void Spaces_control_and_invisible_characters_are_refused_even_with_the_development_setting(string url)
    {
        foreach (var allow in new[] { true, false })
        {
            WebhookAddresses.ShapeProblem(url, allowInsecureLocal: allow, out var uri).Should().Contain("spaces", url);
            uri.Should().BeNull();
        }
    }

    [Theory]
    [InlineData("http://localhost:0/hook", true)]
    [InlineData("http://127.0.0.1:0/hook", true)]
    [InlineData("https://localhost:0/hook", true)]
    [InlineData("https://hooks.example.com:0/hook", true)]
    [InlineData("https://hooks.example.com:0/hook", false)]
    [InlineData("https://hooks.example.com:00/hook", false)]
    public void Port_zero_is_refused_even_with_the_development_setting(string url, bool allowInsecureLocal)
    {
        WebhookAddresses.ShapeProblem(url, allowInsecureLocal, out var uri).Should().Contain("port");
        uri.Should().BeNull();
    }

    [Fact]
    public void Percent_encoded_characters_are_an_address_like_any_other() =>
        WebhookAddresses.ShapeProblem("https://hooks.example.com/a%20b?x=%00", allowInsecureLocal: false, out _).Should().BeNull();

    [Fact]
    public void Http_and_localhost_pass_the_shape_rules_only_with_the_development_setting()
    {
        WebhookAddresses.ShapeProblem("http://localhost:7071/hook", allowInsecureLocal: true, out var uri).Should().BeNull();
        uri!.Port.Should().Be(7071);
        WebhookAddresses.ShapeProblem("http://localhost:7071/hook", allowInsecureLocal: false, out _).Should().NotBeNull();
        WebhookAddresses.ShapeProblem("https://hooks.example.com/in?team=1", allowInsecureLocal: false, out _).Should().BeNull();
    }
}
