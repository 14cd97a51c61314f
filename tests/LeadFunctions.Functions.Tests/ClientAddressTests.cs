using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.Functions.Tests;

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
    public void The_last_forwarded_address_counts_and_ipv6_by_its_64(string forwarded, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-For"] = forwarded;

        ClientAddress.Of(context.Request).Should().Be(expected);
    }

    [Fact]
    public void Without_a_usable_forwarded_header_the_connection_address_counts()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-For"] = "garbage";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.1");

        ClientAddress.Of(context.Request).Should().Be("192.0.2.1");
    }
}
