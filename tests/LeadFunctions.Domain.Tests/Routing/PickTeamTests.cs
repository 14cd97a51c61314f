using LeadFunctions.Domain.Routing;
using static LeadFunctions.Domain.Tests.Routing.RoutingFixtures;

namespace LeadFunctions.Domain.Tests.Routing;

/// <summary>Which team takes a record (SPEC 11).</summary>
public sealed class PickTeamTests
{
    private static readonly RoutingRule CountryBe = Rule("country", RuleOp.Equals, "BE");
    private static readonly RoutingRule SourceFair = Rule("source", RuleOp.Equals, "fair");

    [Fact]
    public void A_team_takes_part_when_it_takes_leads_and_has_rules_or_is_the_default()
    {
        Router.Routes(Team("Rules", rules: CountryBe)).Should().BeTrue();
        Router.Routes(Team("Default", isDefault: true)).Should().BeTrue();
        Router.Routes(Team("Neither")).Should().BeFalse();
        var off = Team("Off", isDefault: true, rules: CountryBe);
        off.UseLeads = false;
        Router.Routes(off).Should().BeFalse();
        var nullRules = Team("Null", isDefault: false);
        nullRules.Rules = null!;
        Router.Routes(nullRules).Should().BeFalse("a JSON null for rules is no rules");
    }

    [Fact]
    public void The_first_team_whose_rules_all_hold_takes_the_record_with_its_conditions_in_the_reason()
    {
        var lead = Lead(l => { l.Country = "BE"; l.Source = "fair"; });
        var france = Team("France", sequence: 1, rules: Rule("country", RuleOp.Equals, "FR"));
        var benelux = Team("Benelux", sequence: 2, rules: [CountryBe, SourceFair]);
        var web = Team("Web", sequence: 3, rules: CountryBe);

        var choice = Router.PickTeam(lead, [web, france, benelux]);

        choice.Should().NotBeNull();
        choice!.Team.Should().BeSameAs(benelux);
        choice.RuleMatched.Should().BeTrue();
        choice.Reason.Should().Be("country BE and source fair matched team Benelux");
    }

    [Fact]
    public void A_team_whose_rules_hold_only_in_part_is_passed_by()
    {
        var lead = Lead(l => { l.Country = "BE"; l.Source = "web"; });
        var benelux = Team("Benelux", sequence: 1, rules: [CountryBe, SourceFair]);
        var belgium = Team("Belgium", sequence: 2, rules: CountryBe);

        Router.PickTeam(lead, [benelux, belgium])!.Team.Should().BeSameAs(belgium);
    }

    [Fact]
    public void Teams_are_tried_by_sequence_then_creation_then_id()
    {
        var lead = Lead(l => l.Country = "BE");
        var late = Team("Late", sequence: 1, createdMinutes: 0, rules: CountryBe);
        var early = Team("Early", sequence: 0, createdMinutes: 10, rules: CountryBe);
        Router.PickTeam(lead, [late, early])!.Team.Should().BeSameAs(early, "a lower sequence goes first whatever the creation");

        var older = Team("Older", sequence: 5, createdMinutes: 1, rules: CountryBe);
        var newer = Team("Newer", sequence: 5, createdMinutes: 2, rules: CountryBe);
        Router.PickTeam(lead, [newer, older])!.Team.Should().BeSameAs(older);

        var b = Team("B", sequence: 5, createdMinutes: 1, id: "team-b", rules: CountryBe);
        var upperA = Team("A", sequence: 5, createdMinutes: 1, id: "TEAM-A", rules: CountryBe);
        Router.PickTeam(lead, [b, upperA])!.Team.Should().BeSameAs(upperA, "ids compare ordinally: upper case sorts first");
    }

    [Fact]
    public void Without_a_match_the_default_team_takes_the_record()
    {
        var lead = Lead(l => l.Country = "DE");
        var sales = Team("Sales", sequence: 9, isDefault: true);
        var benelux = Team("Benelux", sequence: 1, rules: CountryBe);

        var choice = Router.PickTeam(lead, [sales, benelux]);

        choice!.Team.Should().BeSameAs(sales);
        choice.RuleMatched.Should().BeFalse();
        choice.Reason.Should().Be("no rule matched; default team Sales");
    }

    [Fact]
    public void A_default_team_with_rules_that_hold_is_a_rule_match()
    {
        var lead = Lead(l => l.Country = "BE");
        var sales = Team("Sales", isDefault: true, rules: CountryBe);

        var choice = Router.PickTeam(lead, [sales]);

        choice!.RuleMatched.Should().BeTrue();
        choice.Reason.Should().Be("country BE matched team Sales");
    }

    [Fact]
    public void Teams_not_taking_leads_and_teams_without_rules_are_not_chosen()
    {
        var lead = Lead(l => l.Country = "BE");
        var off = Team("Off", sequence: 0, rules: CountryBe);
        off.UseLeads = false;
        var offDefault = Team("OffDefault", isDefault: true);
        offDefault.UseLeads = false;
        var noRules = Team("NoRules", sequence: 0);

        Router.PickTeam(lead, [off, offDefault, noRules]).Should().BeNull();
    }

    [Fact]
    public void Without_a_match_or_a_default_team_there_is_no_choice()
    {
        Router.PickTeam(Lead(l => l.Country = "DE"), [Team("Benelux", rules: CountryBe)]).Should().BeNull();
        Router.PickTeam(Lead(), []).Should().BeNull();
    }

    [Fact]
    public void A_null_condition_in_stored_rules_holds_for_nothing_instead_of_throwing()
    {
        var broken = Team("Broken", sequence: 0, rules: [CountryBe, null!]);
        var sales = Team("Sales", sequence: 1, isDefault: true);

        Router.PickTeam(Lead(l => l.Country = "BE"), [broken, sales])!.Team.Should().BeSameAs(sales);
    }
}
