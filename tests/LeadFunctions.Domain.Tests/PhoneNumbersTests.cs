using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

public sealed class PhoneNumbersTests
{
    private readonly PhoneNumbers us = new("US");

    [Theory]
    [InlineData("+1 (415) 555-2671")]
    [InlineData("415.555.2671")]
    [InlineData("(415) 555-2671")]
    [InlineData("415-555-2671")]
    [InlineData("1 415 555 2671")]
    [InlineData("+14155552671")]
    [InlineData("  +1 415 555 2671  ")]
    public void One_number_in_many_formats_gives_one_E164_form(string raw) => us.ToE164(raw).Should().Be("+14155552671");

    [Fact]
    public void A_number_in_a_test_range_still_normalizes_because_possible_is_enough() =>
        us.ToE164("(555) 555-0100").Should().Be("+15555550100");

    [Fact]
    public void The_default_region_applies_only_to_numbers_without_a_country_code()
    {
        var gb = new PhoneNumbers("gb");
        gb.DefaultRegion.Should().Be("GB");
        gb.ToE164("020 7946 0958").Should().Be("+442079460958");
        us.ToE164("+44 20 7946 0958").Should().Be("+442079460958");
        gb.ToE164("+1 415 555 2671").Should().Be("+14155552671");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("not a phone")]
    [InlineData("12345")]
    [InlineData("555-2671")]
    [InlineData("+1 415 555 26711")]
    [InlineData("415 555\u0000 2671")]
    public void Text_that_is_no_possible_number_gives_null(string? raw)
    {
        us.ToE164(raw).Should().BeNull();
        us.IsValid(raw).Should().BeFalse();
    }

    [Fact]
    public void A_normalizable_number_is_valid() => us.IsValid("415.555.2671").Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("XX")]
    [InlineData("USA")]
    public void An_unknown_default_region_is_refused_at_construction(string region)
    {
        var make = () => new PhoneNumbers(region);
        make.Should().Throw<ArgumentException>();
    }
}
