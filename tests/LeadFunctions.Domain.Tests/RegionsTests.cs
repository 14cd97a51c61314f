using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

/// <summary>SPEC 4.2: a phone is read with the record's own country when it has one.</summary>
public sealed class RegionsTests
{
    private readonly PhoneNumbers phones = new("US");

    [Theory]
    [InlineData("BE", "BE")]
    [InlineData("be", "BE")]
    [InlineData("BEL", "BE")]
    [InlineData("Belgium", "BE")]
    [InlineData("België", "BE")]
    [InlineData("Belgique", "BE")]
    [InlineData("belgique ", "BE")]
    [InlineData("Deutschland", "DE")]
    [InlineData("United Kingdom", "GB")]
    [InlineData("UK", "GB")]
    [InlineData("USA", "US")]
    [InlineData("Atlantis", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_country_code_or_name_gives_its_region(string? country, string? region) =>
        Regions.Of(country).Should().Be(region);

    [Fact]
    public void A_national_number_is_read_in_the_record_s_country()
    {
        phones.ToE164("0485112233", "Belgium").Should().Be("+32485112233");
        phones.ToE164("+32 485 11 22 33", "Belgium").Should().Be("+32485112233");
        phones.ToE164("0485112233").Should().NotBe("+32485112233", "without a country it is read in the default region (US)");
        phones.ToE164("(415) 555-2671", "Atlantis").Should().Be("+14155552671", "an unknown country falls back to the default region");
    }

    [Fact]
    public void A_belgian_lead_with_a_national_number_matches_one_written_internationally()
    {
        var keys = new MatchKeys(phones);
        var national = new Lead { Phone = "0485112233", Country = "Belgium" };
        var international = new Lead { Phone = "+32 485 11 22 33" };

        keys.Of(national, null).Should().Contain(new MatchKey(MatchRule.Phone, "+32485112233")).And.BeEquivalentTo(keys.Of(international, null));
    }
}
