using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.Functions.Tests.Features.Capture;

/// <summary>Which address a capture is rate-limited by.</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData(" 203.0.113.7 ", "203.0.113.7")]
    [InlineData("203.0.113.7:51234", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("[2001:db8:1:2:bbbb::9]:443", "2001:db8:1:2::/64")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void The_configured_front_end_header_names_the_client_and_ipv6_counts_by_its_64(string header, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.10");
        context.Request.Headers[ClientAddress.AppServiceHeader] = header;

        ClientAddress.Of(context.Request, ClientAddress.AppServiceHeader).Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("203.0.113.7, 198.51.100.9")]
    public void Without_a_usable_front_end_header_the_connection_address_counts(string? header)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.10");
        if (header is not null)
        {
            context.Request.Headers[ClientAddress.FrontDoorHeader] = header;
        }

        ClientAddress.Of(context.Request, ClientAddress.FrontDoorHeader).Should().Be("192.0.2.10");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_configured_header_what_a_caller_claims_counts_for_nothing(string? configured)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("2001:db8::5");
        context.Request.Headers[ClientAddress.AppServiceHeader] = "203.0.113.7";
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.8";

        ClientAddress.Of(context.Request, configured).Should().Be("2001:db8::/64");
    }

    [Fact]
    public void Without_any_address_the_client_is_unknown()
    {
        ClientAddress.Of(new DefaultHttpContext().Request, ClientAddress.AppServiceHeader).Should().Be("unknown");
    }
}
