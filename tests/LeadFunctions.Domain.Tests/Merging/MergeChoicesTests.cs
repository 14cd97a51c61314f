using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>What a request may choose: fieldSources, the salesperson and the team.</summary>
public sealed class MergeChoicesTests
{
    private static MergeOutcome Plan(MergeOptions options, params Lead[] records) => MergeRules.Plan(records, options, Now);

    private static MergeOptions Pick(string field, string leadId) =>
        new(FieldSources: new Dictionary<string, string> { [field] = leadId });

    [Fact]
    public void A_plain_field_can_be_taken_from_a_chosen_record()
    {
        var outcome = Plan(Pick("email", Id(3)),
            Make(1, l => l.Email = "first@acme.test"),
            Make(2, l => l.Email = "second@acme.test"),
            Make(3, l => l.Email = "third@acme.test"));

        outcome.Result.Email.Should().Be("third@acme.test");
        outcome.Sources["email"].Should().Be(Id(3));
        outcome.Sources["name"].Should().Be(Id(1), "the other fields follow the rules");
    }

    [Fact]
    public void A_chosen_record_with_the_field_empty_gives_an_empty_field()
    {
        var outcome = Plan(Pick("phone", Id(2)), Make(1, l => l.Phone = "+1 202 555 0100"), Make(2, l => l.Phone = null));

        outcome.Result.Phone.Should().BeNull();
        outcome.Sources["phone"].Should().Be(Id(2));
    }

    [Fact]
    public void A_chosen_revenue_of_zero_is_kept()
    {
        var outcome = Plan(Pick("expectedRevenue", Id(1)), Make(1), Make(2, l => l.ExpectedRevenue = 5000m));

        outcome.Result.ExpectedRevenue.Should().Be(0m);
        outcome.Sources["expectedRevenue"].Should().Be(Id(1));
    }

    [Fact]
    public void A_chosen_convertedAt_is_kept()
    {
        var outcome = Plan(Pick("convertedAt", Id(3)),
            Make(1, l => l.ConvertedAt = T0.AddDays(1)), Make(2), Make(3, l => l.ConvertedAt = T0.AddDays(9)));

        outcome.Result.ConvertedAt.Should().Be(T0.AddDays(9));
    }

    [Fact]
    public void The_address_is_chosen_as_a_whole_block_even_when_emptier()
    {
        var outcome = Plan(Pick("address", Id(1)),
            Make(1, l => l.City = "Nice"),
            Make(2, l => { l.Street = "2 Quai"; l.Zip = "06000"; l.State = "PACA"; l.Country = "FR"; }));

        var result = outcome.Result;
        (result.Street, result.City, result.Zip, result.State, result.Country)
            .Should().Be(((string?)null, "Nice", (string?)null, (string?)null, (string?)null));
        outcome.Sources["address"].Should().Be(Id(1));
    }

    [Fact]
    public void A_chosen_description_is_that_records_own_not_the_joined_text()
    {
        var outcome = Plan(Pick("description", Id(2)), Make(1, l => l.Description = "first"), Make(2, l => l.Description = "second"));

        outcome.Result.Description.Should().Be("second");
        outcome.Sources["description"].Should().Be(Id(2));
    }

    [Fact]
    public void Chosen_tags_are_that_records_own_not_the_union()
    {
        var outcome = Plan(Pick("tags", Id(2)), Make(1, l => l.Tags = ["x", "y"]), Make(2, l => l.Tags = ["z", " z ", "y"]));

        outcome.Result.Tags.Should().Equal("z", "y");
        outcome.Sources["tags"].Should().Be(Id(2));
    }

    [Fact]
    public void A_chosen_priority_is_that_records_own_even_when_lower()
    {
        var outcome = Plan(Pick("priority", Id(1)), Make(1, l => l.Priority = 1), Make(2, l => l.Priority = 3));

        outcome.Result.Priority.Should().Be(1);
        outcome.Sources["priority"].Should().Be(Id(1));
    }

    [Fact]
    public void A_chosen_probability_replaces_the_survivors()
    {
        var outcome = Plan(Pick("probability", Id(2)), Make(1, l => l.Probability = 10), Make(2, l => l.Probability = 75));

        outcome.Result.Probability.Should().Be(75);
        outcome.Sources["probability"].Should().Be(Id(2));
    }

    [Fact]
    public void A_chosen_lost_reason_is_still_cleared_when_the_result_is_active()
    {
        var outcome = Plan(Pick("lostReason", Id(2)), Make(1), Make(2, l => { l.Status = LeadStatus.Lost; l.LostReason = "price"; }));

        outcome.Result.LostReason.Should().BeNull();
        outcome.Sources["lostReason"].Should().Be(Id(1));
    }

    [Fact]
    public void A_chosen_lost_reason_is_kept_when_the_result_is_lost()
    {
        var outcome = Plan(Pick("lostReason", Id(2)),
            Make(1, l => { l.Status = LeadStatus.Lost; l.LostReason = "timing"; }),
            Make(2, l => { l.Status = LeadStatus.Lost; l.LostReason = "price"; }));

        outcome.Result.LostReason.Should().Be("price");
        outcome.Sources["lostReason"].Should().Be(Id(2));
    }

    [Fact]
    public void Several_fields_can_be_chosen_together_with_a_survivor()
    {
        var options = new MergeOptions(
            SurvivorId: Id(2),
            FieldSources: new Dictionary<string, string> { ["name"] = Id(3), ["website"] = Id(1), ["address"] = Id(3) });

        var outcome = Plan(options,
            Make(1, l => { l.Name = "one"; l.Website = "one.test"; l.City = "A"; l.Zip = "1"; }),
            Make(2, l => { l.Name = "two"; l.Website = "two.test"; }),
            Make(3, l => { l.Name = "three"; l.Country = "C"; }));

        outcome.SurvivorId.Should().Be(Id(2));
        outcome.Result.Name.Should().Be("three");
        outcome.Result.Website.Should().Be("one.test");
        outcome.Result.Country.Should().Be("C");
        outcome.Result.City.Should().BeNull();
        outcome.Sources["name"].Should().Be(Id(3));
        outcome.Sources["website"].Should().Be(Id(1));
        outcome.Sources["address"].Should().Be(Id(3));
    }

    [Fact]
    public void Every_mergeable_field_can_be_chosen()
    {
        var sources = MergeRules.MergeableFields.ToDictionary(f => f, _ => Id(2));

        var outcome = Plan(new MergeOptions(FieldSources: sources), Make(1), Make(2, l => l.Status = LeadStatus.Lost));

        outcome.Sources.Where(s => s.Key != "lostReason").Should().AllSatisfy(s => s.Value.Should().Be(Id(2)));
    }

    [Fact]
    public void The_salesperson_and_team_given_override_the_merged_ones()
    {
        var outcome = Plan(new MergeOptions(UserId: Id(70), TeamId: Id(71)),
            Make(1, l => { l.UserId = Id(60); l.TeamId = Id(61); }),
            Make(2, l => { l.UserId = Id(62); l.TeamId = Id(63); }));

        outcome.Result.UserId.Should().Be(Id(70));
        outcome.Result.TeamId.Should().Be(Id(71));
        outcome.Sources["userId"].Should().Be(Id(1), "a value from the request is written to the survivor");
        outcome.Sources["teamId"].Should().Be(Id(1));
    }

    [Fact]
    public void The_salesperson_given_overrides_a_chosen_source_too()
    {
        var options = new MergeOptions(FieldSources: new Dictionary<string, string> { ["userId"] = Id(2) }, UserId: Id(70));

        var outcome = Plan(options, Make(1, l => l.UserId = Id(60)), Make(2, l => l.UserId = Id(62)));

        outcome.Result.UserId.Should().Be(Id(70));
    }

    [Fact]
    public void A_salesperson_given_without_a_team_takes_the_team_as_a_conversion_gives_it()
    {
        Team east = new() { Id = Id(63), LeaderId = Id(71) };
        Team west = new() { Id = Id(64), MemberIds = [Id(70)] };
        Lead[] records = [Make(1), Make(2, l => l.TeamId = Id(63))];

        var outcome = MergeRules.Plan(records, new MergeOptions(UserId: Id(70)), Now, [east, west]);
        outcome.Result.UserId.Should().Be(Id(70));
        outcome.Result.TeamId.Should().Be(Id(64), "the merged team is not the salesperson's: the first team they belong to");
        outcome.Sources["teamId"].Should().Be(Id(1));

        east.MemberIds.Add(Id(70));
        MergeRules.Plan(records, new MergeOptions(UserId: Id(70)), Now, [east, west]).Result.TeamId.Should().Be(Id(63), "the merged team is the salesperson's own");
        MergeRules.Plan(records, new MergeOptions(UserId: Id(72)), Now, [east, west]).Result.TeamId.Should().BeNull("a salesperson of no team gets none");
    }

    [Fact]
    public void Won_records_stay_won_unless_one_is_active()
    {
        var won = Make(2, l => { l.Type = LeadType.Opportunity; l.Status = LeadStatus.Won; l.WonAt = Now.AddDays(-1); });
        var lost = Make(1, l => { l.Status = LeadStatus.Lost; l.LostReason = "Too expensive"; });

        var outcome = Plan(new MergeOptions(), lost, won);
        outcome.Result.Status.Should().Be(LeadStatus.Won);
        outcome.Result.WonAt.Should().Be(Now.AddDays(-1));
        outcome.Result.LostReason.Should().BeNull();

        var withActive = Plan(new MergeOptions(), lost, won, Make(3));
        withActive.Result.Status.Should().Be(LeadStatus.Active);
        withActive.Result.WonAt.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_salesperson_or_team_is_not_given(string blank)
    {
        var outcome = Plan(new MergeOptions(UserId: blank, TeamId: blank),
            Make(1), Make(2, l => { l.UserId = Id(62); l.TeamId = Id(63); }));

        outcome.Result.UserId.Should().Be(Id(62));
        outcome.Result.TeamId.Should().Be(Id(63));
    }
}
