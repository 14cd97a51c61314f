using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.Functions.Tests.Features.Capture;

/// <summary>Which address a capture is rate-limited by.</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("198.51.100.1, 203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7:51234", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("[2001:db8:1:2:bbbb::9]:443", "2001:db8:1:2::/64")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void From_a_front_end_on_loopback_the_last_forwarded_address_counts_and_ipv6_by_its_64(string forwarded, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        context.Request.Headers["X-Forwarded-For"] = forwarded;

        ClientAddress.Of(context.Request).Should().Be(expected);
    }

    [Fact]
    public void Without_a_usable_forwarded_header_the_connection_address_counts()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-For"] = "garbage";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;

        ClientAddress.Of(context.Request).Should().Be("127.0.0.1");
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::5")]
    public void A_client_that_is_not_on_loopback_is_counted_by_its_own_address_whatever_it_claims(string remote)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(remote);
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7, 198.51.100.9";

        ClientAddress.Of(context.Request).Should().Be(remote == "192.0.2.1" ? "192.0.2.1" : "2001:db8::/64");
    }

    [Fact]
    public void Without_a_connection_address_a_forwarded_header_counts_for_nothing()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7";

        ClientAddress.Of(context.Request).Should().Be("unknown");
    }
}
