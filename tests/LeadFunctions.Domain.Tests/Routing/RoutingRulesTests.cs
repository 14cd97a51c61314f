using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;
using static LeadFunctions.Domain.Tests.Routing.RoutingFixtures;

namespace LeadFunctions.Domain.Tests.Routing;

/// <summary>A team's conditions: how they hold, how they read, what is refused.</summary>
public sealed class RoutingRulesTests
{
    private static Lead Sample() => Lead(l =>
    {
        l.Country = "BE";
        l.Source = "fair";
        l.Medium = "email";
        l.Campaign = "spring-2026";
        l.CompanyName = "Acme Benelux";
        l.Email = "ann@sales.acme.example";
        l.Tags = ["vip", "fair-2026"];
    });

    public static TheoryData<string, RuleOp, string[], bool> EveryFieldAndOperator => new()
    {
        { "country", RuleOp.Equals, ["BE"], true },
        { "country", RuleOp.Equals, ["NL"], false },
        { "country", RuleOp.In, ["NL", "BE", "LU"], true },
        { "country", RuleOp.In, ["NL", "LU"], false },
        { "country", RuleOp.Contains, ["E"], true },
        { "country", RuleOp.StartsWith, ["B"], true },
        { "country", RuleOp.StartsWith, ["E"], false },
        { "source", RuleOp.Equals, ["fair"], true },
        { "source", RuleOp.In, ["web", "fair"], true },
        { "source", RuleOp.Contains, ["ai"], true },
        { "source", RuleOp.StartsWith, ["web"], false },
        { "medium", RuleOp.Equals, ["email"], true },
        { "medium", RuleOp.In, ["cpc"], false },
        { "medium", RuleOp.Contains, ["mai"], true },
        { "medium", RuleOp.StartsWith, ["em"], true },
        { "campaign", RuleOp.Equals, ["spring-2026"], true },
        { "campaign", RuleOp.Equals, ["spring"], false },
        { "campaign", RuleOp.In, ["autumn-2026", "spring-2026"], true },
        { "campaign", RuleOp.Contains, ["2026"], true },
        { "campaign", RuleOp.StartsWith, ["spring"], true },
        { "companyName", RuleOp.Equals, ["Acme Benelux"], true },
        { "companyName", RuleOp.In, ["Acme"], false },
        { "companyName", RuleOp.Contains, ["benelux"], true },
        { "companyName", RuleOp.StartsWith, ["Globex", "Acme"], true },
        { "companyName", RuleOp.StartsWith, ["Benelux"], false },
        { "emailDomain", RuleOp.Equals, ["sales.acme.example"], true },
        { "emailDomain", RuleOp.Equals, ["acme.example"], false },
        { "emailDomain", RuleOp.In, ["globex.example", "sales.acme.example"], true },
        { "emailDomain", RuleOp.Contains, ["acme"], true },
        { "emailDomain", RuleOp.Contains, ["ann"], false },
        { "emailDomain", RuleOp.StartsWith, ["sales."], true },
        { "tags", RuleOp.Equals, ["vip"], true },
        { "tags", RuleOp.Equals, ["fair"], false },
        { "tags", RuleOp.In, ["cold", "fair-2026"], true },
        { "tags", RuleOp.Contains, ["2026"], true },
        { "tags", RuleOp.StartsWith, ["fair"], true },
        { "tags", RuleOp.StartsWith, ["2026"], false },
    };

    [Theory]
    [MemberData(nameof(EveryFieldAndOperator))]
    public void Every_field_with_every_operator(string field, RuleOp op, string[] values, bool holds) =>
        RoutingRules.Holds(Rule(field, op, values), Sample()).Should().Be(holds);

    [Fact]
    public void Equals_looks_at_its_first_value_only()
    {
        RoutingRules.Holds(Rule("country", RuleOp.Equals, "NL", "BE"), Sample()).Should().BeFalse();
        RoutingRules.Holds(Rule("country", RuleOp.Equals, "BE", "NL"), Sample()).Should().BeTrue();
    }

    [Fact]
    public void Case_and_surrounding_space_are_ignored_on_both_sides()
    {
        var lead = Lead(l => { l.Country = "  be "; l.Tags = [" Fair "]; });

        RoutingRules.Holds(Rule("country", RuleOp.Equals, " BE  "), lead).Should().BeTrue();
        RoutingRules.Holds(Rule("country", RuleOp.In, "nl", "Be"), lead).Should().BeTrue();
        RoutingRules.Holds(Rule("tags", RuleOp.Equals, "FAIR"), lead).Should().BeTrue();
        RoutingRules.Describe(Rule("country", RuleOp.Equals, "BE"), lead).Should().Be("country be", "the record's value, trimmed");
        RoutingRules.Describe(Rule("tags", RuleOp.Equals, "fair"), lead).Should().Be("tags include Fair");
    }

    [Fact]
    public void An_empty_field_holds_for_nothing()
    {
        var lead = Lead(l => { l.Country = "   "; l.Source = null; l.Tags = []; });

        RoutingRules.Holds(Rule("country", RuleOp.Contains, "B"), lead).Should().BeFalse();
        RoutingRules.Holds(Rule("source", RuleOp.StartsWith, "f"), lead).Should().BeFalse();
        RoutingRules.Holds(Rule("tags", RuleOp.In, "fair"), lead).Should().BeFalse();
        RoutingRules.Holds(Rule("emailDomain", RuleOp.Contains, "a"), lead).Should().BeFalse();
    }

    [Fact]
    public void An_empty_value_does_not_make_contains_hold_for_every_record() =>
        RoutingRules.Holds(Rule("country", RuleOp.Contains, "", " "), Sample()).Should().BeFalse();

    [Fact]
    public void An_unknown_field_holds_for_nothing() =>
        RoutingRules.Holds(Rule("city", RuleOp.Contains, "a"), Lead(l => l.City = "Gent")).Should().BeFalse();

    [Theory]
    [InlineData("Ann@Sales.ACME.example", "sales.acme.example")]
    [InlineData("\"a@b\"@acme.example", "acme.example")]
    [InlineData(" ann@acme.example ", "acme.example")]
    public void The_email_domain_is_after_the_last_at_sign_in_lower_case(string email, string domain)
    {
        var lead = Lead(l => l.Email = email);

        RoutingRules.Holds(Rule("emailDomain", RuleOp.Equals, domain), lead).Should().BeTrue();
        RoutingRules.Describe(Rule("emailDomain", RuleOp.Equals, domain), lead).Should().Be("emailDomain " + domain);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("no-at-sign.example")]
    [InlineData("ann@")]
    public void An_email_without_a_domain_holds_for_nothing(string? email) =>
        RoutingRules.Holds(Rule("emailDomain", RuleOp.Contains, "example"), Lead(l => l.Email = email)).Should().BeFalse();

    [Fact]
    public void Tags_hold_when_any_tag_does_and_read_as_the_tag_that_did()
    {
        var lead = Lead(l => l.Tags = ["cold", "trade-fair", "fair"]);
        var rule = Rule("tags", RuleOp.In, "fair", "expo");

        RoutingRules.Holds(rule, lead).Should().BeTrue();
        RoutingRules.Describe(rule, lead).Should().Be("tags include fair");
        RoutingRules.Describe(Rule("tags", RuleOp.Contains, "fair"), lead).Should().Be("tags include trade-fair", "the first tag that holds");
    }

    [Fact]
    public void Null_tags_hold_for_nothing()
    {
        var lead = Lead(l => l.Tags = null!);

        RoutingRules.Holds(Rule("tags", RuleOp.Equals, "fair"), lead).Should().BeFalse();
        RoutingRules.Describe(Rule("tags", RuleOp.Equals, "fair"), lead).Should().Be("tags (none)");
    }

    [Theory]
    [InlineData("country", "country BE")]
    [InlineData("source", "source fair")]
    [InlineData("medium", "medium email")]
    [InlineData("campaign", "campaign spring-2026")]
    [InlineData("companyName", "companyName Acme Benelux")]
    [InlineData("emailDomain", "emailDomain sales.acme.example")]
    [InlineData("tags", "tags include vip")]
    public void A_condition_reads_as_its_field_and_the_records_value(string field, string words) =>
        RoutingRules.Describe(Rule(field, RuleOp.StartsWith, "v", "s", "m", "e", "A", "B"), Sample()).Should().Be(words);

    [Fact]
    public void Valid_rules_and_no_rules_have_no_errors()
    {
        var errors = new ValidationErrors();
        RoutingRules.Validate(
        [
            Rule("country", RuleOp.Equals, "BE"),
            Rule("tags", RuleOp.In, [.. Enumerable.Range(1, 50).Select(n => $"tag{n}")]),
            Rule("companyName", RuleOp.StartsWith, new string('a', 200)),
        ], errors);
        RoutingRules.Validate([], errors);
        RoutingRules.Validate(null, errors);

        errors.IsEmpty.Should().BeTrue(errors.ToString());
    }

    [Fact]
    public void Each_faulty_condition_is_named_by_its_index_and_part()
    {
        var errors = new ValidationErrors();

        RoutingRules.Validate(
        [
            Rule("city", RuleOp.Equals, "Gent"),
            Rule("country", RuleOp.In),
            Rule("country", RuleOp.In, [.. Enumerable.Range(1, 51).Select(n => $"c{n}")]),
            null!,
            Rule("source", (RuleOp)99, "fair"),
            Rule("source", RuleOp.Equals, "fair", "expo"),
            Rule("medium", RuleOp.In, "email", " "),
            Rule("campaign", RuleOp.Contains, new string('x', 201)),
            new RoutingRule { Field = null!, Op = RuleOp.In, Values = null! },
            Rule("Country", RuleOp.Equals, "BE"),
        ], errors);

        errors.Fields.Should().BeEquivalentTo(
            "rules[0].field", "rules[1].values", "rules[2].values", "rules[3]", "rules[4].op",
            "rules[5].values", "rules[6].values", "rules[7].values", "rules[8].field", "rules[8].values", "rules[9].field");
        errors.For("rules[0].field").Should().ContainSingle().Which.Should().Contain("'city'").And.Contain("emailDomain");
        errors.For("rules[5].values").Should().ContainSingle().Which.Should().Contain("equals takes one value");
    }

    [Fact]
    public void More_than_twenty_conditions_are_refused_as_a_whole()
    {
        var errors = new ValidationErrors();

        RoutingRules.Validate([.. Enumerable.Range(0, 21).Select(_ => Rule("country", RuleOp.Equals, "BE"))], errors);

        errors.Fields.Should().Equal("rules");
        errors.For("rules").Should().ContainSingle().Which.Should().Contain("20");
    }
}
