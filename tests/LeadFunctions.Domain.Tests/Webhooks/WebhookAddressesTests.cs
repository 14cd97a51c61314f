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
    public void Internal_addresses_are_named_for_what_they_are(string address, string kind) =>
        WebhookAddresses.Classify(IPAddress.Parse(address)).Should().Be(kind);

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    public void Public_addresses_are_allowed(string address) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address), allowLoopback: false).Should().BeNull();

    [Fact]
    public void Loopback_is_allowed_only_when_the_setting_opens_it_and_then_nothing_else_is()
    {
        WebhookAddresses.Refusal(IPAddress.Loopback, allowLoopback: false).Should().Contain("loopback");
        WebhookAddresses.Refusal(IPAddress.Loopback, allowLoopback: true).Should().BeNull();
        WebhookAddresses.Refusal(IPAddress.Parse("10.0.0.1"), allowLoopback: true).Should().Contain("private");
        WebhookAddresses.Refusal(IPAddress.Parse("93.184.216.34"), allowLoopback: true, loopbackOnly: true).Should().Contain("http://");
    }

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

    [Fact]
    public void Http_and_localhost_pass_the_shape_rules_only_with_the_development_setting()
    {
        WebhookAddresses.ShapeProblem("http://localhost:7071/hook", allowInsecureLocal: true, out var uri).Should().BeNull();
        uri!.Port.Should().Be(7071);
        WebhookAddresses.ShapeProblem("http://localhost:7071/hook", allowInsecureLocal: false, out _).Should().NotBeNull();
        WebhookAddresses.ShapeProblem("https://hooks.example.com/in?team=1", allowInsecureLocal: false, out _).Should().BeNull();
    }
}
