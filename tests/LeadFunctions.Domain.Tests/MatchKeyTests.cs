using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

public sealed class MatchKeyTests
{
    [Theory]
    [InlineData(MatchRule.Email, "ann@acme.test", "email:ann@acme.test")]
    [InlineData(MatchRule.EmailAlias, "ann@gmail.com", "email-alias:ann@gmail.com")]
    [InlineData(MatchRule.Phone, "+14155552671", "phone:+14155552671")]
    [InlineData(MatchRule.Domain, "acme.test", "domain:acme.test")]
    [InlineData(MatchRule.Customer, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "customer:01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    public void A_key_reads_as_kebab_rule_colon_value_and_parses_back(MatchRule rule, string value, string text)
    {
        var key = new MatchKey(rule, value);
        key.ToString().Should().Be(text);
        MatchKey.TryParse(text, out var parsed).Should().BeTrue();
        parsed.Should().Be(key);
    }

    [Fact]
    public void Every_rule_has_a_name() =>
        Enum.GetValues<MatchRule>().Select(MatchKey.RuleName).Should().OnlyHaveUniqueItems().And.HaveCount(8);

    [Fact]
    public void A_value_may_itself_contain_a_colon()
    {
        MatchKey.TryParse("customer:a:b", out var key).Should().BeTrue();
        key.Should().Be(new MatchKey(MatchRule.Customer, "a:b"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("email")]
    [InlineData("email:")]
    [InlineData(":ann@acme.test")]
    [InlineData("emailalias:ann@gmail.com")]
    [InlineData("Email:ann@acme.test")]
    public void Text_that_is_no_key_does_not_parse(string? text) => MatchKey.TryParse(text, out _).Should().BeFalse();
}
