using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Conversion.ConversionFixtures;

namespace LeadFunctions.Domain.Tests.Conversion;

/// <summary>The salesperson and team of a conversion (SPEC 4.3).</summary>
public sealed class AssignmentTests
{
    private static readonly Lead Assigned = Make(1, l => { l.UserId = User1; l.TeamId = TeamId(1); });

    private static readonly IReadOnlyList<Team> Teams =
    [
        Team(1, User1, User3),
        Team(2, null, User2),
        Team(3, User2),
        Team(4, User3),
    ];

    [Fact]
    public void Nothing_given_keeps_the_leads_salesperson_and_team()
    {
        Assignment.Resolve(Assigned, null, null, Teams).Should().Be((User1, TeamId(1)));
    }

    [Fact]
    public void A_team_given_alone_replaces_the_leads_team_and_keeps_its_salesperson()
    {
        Assignment.Resolve(Assigned, null, TeamId(2), Teams).Should().Be((User1, TeamId(2)));
    }

    [Fact]
    public void A_salesperson_and_a_team_given_are_taken_as_given()
    {
        Assignment.Resolve(Assigned, User2, TeamId(4), Teams).Should().Be((User2, TeamId(4)));
    }

    [Fact]
    public void A_salesperson_who_is_a_member_of_the_leads_team_keeps_it()
    {
        Assignment.Resolve(Assigned, User3, null, Teams).Should().Be((User3, TeamId(1)));
    }

    [Fact]
    public void A_salesperson_who_leads_the_leads_team_keeps_it()
    {
        var lead = Make(1, l => l.TeamId = TeamId(4));

        Assignment.Resolve(lead, User3, null, Teams).Should().Be((User3, TeamId(4)));
    }

    [Fact]
    public void A_salesperson_outside_the_leads_team_takes_the_first_team_created_where_they_lead_or_belong()
    {
        Assignment.Resolve(Assigned, User2, null, Teams).Should().Be((User2, TeamId(2)));
    }

    [Fact]
    public void A_lead_without_a_team_gives_the_salesperson_their_first_team()
    {
        Assignment.Resolve(Make(1), User3, null, Teams).Should().Be((User3, TeamId(1)));
    }

    [Fact]
    public void A_salesperson_in_no_team_gets_no_team()
    {
        Assignment.Resolve(Assigned, "01JUSER0000000000000000009", null, Teams).Should().Be(("01JUSER0000000000000000009", (string?)null));
    }

    [Fact]
    public void A_lead_team_missing_from_the_list_is_not_kept()
    {
        var lead = Make(1, l => l.TeamId = TeamId(9));

        Assignment.Resolve(lead, User2, null, Teams).Should().Be((User2, TeamId(2)));
        Assignment.Resolve(lead, User2, null, []).Should().Be((User2, (string?)null));
    }

    [Fact]
    public void Blank_ids_count_as_not_given()
    {
        Assignment.Resolve(Assigned, " ", "", Teams).Should().Be((User1, TeamId(1)));
        Assignment.Resolve(Assigned, User2, " ", Teams).Should().Be((User2, TeamId(2)));
    }
}
