using LeadFunctions.Domain.Conversion;
using static LeadFunctions.Domain.Tests.Conversion.ConversionFixtures;

namespace LeadFunctions.Domain.Tests.Conversion;

/// <summary>The round-robin assignment of a bulk conversion (SPEC 4.3).</summary>
public sealed class RoundRobinTests
{
    [Fact]
    public void Four_leads_over_two_salespeople_are_assigned_in_turn()
    {
        var robin = new RoundRobin([User1, User2], forceAssignment: false);

        Enumerable.Range(1, 4).Select(n => robin.Next(Make(n))).Should().Equal(User1, User2, User1, User2);
        robin.TurnsTaken.Should().Be(4);
    }

    [Fact]
    public void A_lead_that_fails_takes_no_turn()
    {
        var robin = new RoundRobin([User1, User2], forceAssignment: false);

        robin.Next(Make(1)).Should().Be(User1);
        robin.Next(Make(2)).Should().Be(User2);
        robin.GiveBack();
        robin.Next(Make(3)).Should().Be(User2);
        robin.Next(Make(4)).Should().Be(User1);
    }

    [Fact]
    public void Giving_back_twice_or_after_a_lead_that_took_no_turn_changes_nothing()
    {
        var robin = new RoundRobin([User1, User2], forceAssignment: false);
        robin.GiveBack();

        robin.Next(Make(1)).Should().Be(User1);
        robin.GiveBack();
        robin.GiveBack();
        robin.Next(Make(2)).Should().Be(User1);
        robin.Next(Make(3, l => l.UserId = User3)).Should().Be(User3);
        robin.GiveBack();
        robin.Next(Make(4)).Should().Be(User2);
    }

    [Fact]
    public void Leads_with_a_salesperson_keep_it_and_take_no_turn()
    {
        var robin = new RoundRobin([User1, User2], forceAssignment: false);

        robin.Next(Make(1)).Should().Be(User1);
        robin.Next(Make(2, l => l.UserId = User3)).Should().Be(User3);
        robin.Next(Make(3)).Should().Be(User2);
    }

    [Fact]
    public void With_forceAssignment_leads_with_a_salesperson_take_their_turn_too()
    {
        var robin = new RoundRobin([User1, User2], forceAssignment: true);

        robin.Next(Make(1)).Should().Be(User1);
        robin.Next(Make(2, l => l.UserId = User3)).Should().Be(User2);
        robin.Next(Make(3, l => l.UserId = User2)).Should().Be(User1);
    }

    [Fact]
    public void Without_salespeople_every_lead_keeps_its_own()
    {
        var robin = new RoundRobin([], forceAssignment: true);

        robin.Next(Make(1)).Should().BeNull();
        robin.Next(Make(2, l => l.UserId = User3)).Should().Be(User3);
        robin.TurnsTaken.Should().Be(0);
    }

    [Fact]
    public void One_salesperson_takes_every_turn()
    {
        var robin = new RoundRobin([User3], forceAssignment: false);

        Enumerable.Range(1, 3).Select(n => robin.Next(Make(n))).Should().Equal(User3, User3, User3);
    }

    [Fact]
    public void The_salespeople_are_copied()
    {
        var ids = new List<string> { User1, User2 };
        var robin = new RoundRobin(ids, forceAssignment: false);
        ids.Clear();

        robin.Next(Make(1)).Should().Be(User1);
    }
}
