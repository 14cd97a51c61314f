using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>Survivor choice, merge order, type, status and the record-level fields of the result.</summary>
public sealed class MergeSurvivorTests
{
    private static MergeOutcome Plan(IReadOnlyList<Lead> records, MergeOptions? options = null) =>
        MergeRules.Plan(records, options ?? new MergeOptions(), Now);

    [Fact]
    public void The_first_created_record_survives_whatever_the_request_order()
    {
        var outcome = Plan([Make(3), Make(1), Make(2)]);

        outcome.SurvivorId.Should().Be(Id(1));
        outcome.Result.Id.Should().Be(Id(1));
        outcome.MergedIds.Should().Equal(Id(2), Id(3));
    }

    [Fact]
    public void Creation_time_decides_not_the_id()
    {
        // Ids normally follow creation; where they do not (imported records), createdAt wins.
        var older = Make(5, l => l.CreatedAt = T0);
        var outcome = Plan([Make(1), older]);

        outcome.SurvivorId.Should().Be(Id(5));
        outcome.MergedIds.Should().Equal(Id(1));
    }

    [Fact]
    public void Equal_creation_times_are_ordered_by_id()
    {
        var outcome = Plan([Make(3, l => l.CreatedAt = T0), Make(2, l => l.CreatedAt = T0), Make(1, l => l.CreatedAt = T0)]);

        outcome.SurvivorId.Should().Be(Id(1));
        outcome.MergedIds.Should().Equal(Id(2), Id(3));
    }

    [Fact]
    public void A_lead_and_a_later_opportunity_give_an_opportunity_with_the_leads_id()
    {
        var lead = Make(1);
        var opportunity = Make(2, l => { l.Type = LeadType.Opportunity; l.ConvertedAt = T0.AddDays(1); });

        var outcome = Plan([opportunity, lead]);

        outcome.Result.Id.Should().Be(lead.Id);
        outcome.Result.Type.Should().Be(LeadType.Opportunity);
        outcome.Result.ConvertedAt.Should().Be(T0.AddDays(1));
        outcome.MergedIds.Should().Equal(opportunity.Id);
    }

    [Fact]
    public void An_older_lost_lead_and_an_active_lead_give_the_active_one_as_survivor_active_without_a_lost_reason()
    {
        var lost = Make(1, l => { l.Status = LeadStatus.Lost; l.LostReason = "too expensive"; });
        var active = Make(2);

        var outcome = Plan([lost, active]);

        outcome.SurvivorId.Should().Be(active.Id);
        outcome.MergedIds.Should().Equal(lost.Id);
        outcome.Result.Status.Should().Be(LeadStatus.Active);
        outcome.Result.LostReason.Should().BeNull();
        outcome.Sources["lostReason"].Should().Be(active.Id);
    }

    [Fact]
    public void The_first_created_active_record_survives_among_several_active_and_lost()
    {
        var outcome = Plan([Make(4), Make(1, l => l.Status = LeadStatus.Lost), Make(3), Make(2, l => l.Status = LeadStatus.Lost)]);

        outcome.SurvivorId.Should().Be(Id(3));
        // The others follow by creation, lost or not.
        outcome.MergedIds.Should().Equal(Id(1), Id(2), Id(4));
    }

    [Fact]
    public void When_all_are_lost_the_first_created_survives_and_the_result_is_lost_with_the_first_non_empty_reason()
    {
        var records = new[]
        {
            Make(3, l => { l.Status = LeadStatus.Lost; l.LostReason = "third"; }),
            Make(1, l => { l.Status = LeadStatus.Lost; l.LostReason = "  "; }),
            Make(2, l => { l.Status = LeadStatus.Lost; l.LostReason = "second"; }),
        };

        var outcome = Plan(records);

        outcome.SurvivorId.Should().Be(Id(1));
        outcome.Result.Status.Should().Be(LeadStatus.Lost);
        outcome.Result.LostReason.Should().Be("second");
        outcome.Sources["lostReason"].Should().Be(Id(2));
    }

    [Theory]
    [InlineData(LeadType.Lead, LeadType.Lead, LeadType.Lead)]
    [InlineData(LeadType.Lead, LeadType.Opportunity, LeadType.Opportunity)]
    [InlineData(LeadType.Opportunity, LeadType.Lead, LeadType.Opportunity)]
    [InlineData(LeadType.Opportunity, LeadType.Opportunity, LeadType.Opportunity)]
    public void The_result_is_an_opportunity_when_any_record_is_one(LeadType first, LeadType second, LeadType expected)
    {
        Plan([Make(1, l => l.Type = first), Make(2, l => l.Type = second)]).Result.Type.Should().Be(expected);
    }

    [Theory]
    [InlineData(LeadStatus.Active, LeadStatus.Active, LeadStatus.Active)]
    [InlineData(LeadStatus.Active, LeadStatus.Lost, LeadStatus.Active)]
    [InlineData(LeadStatus.Lost, LeadStatus.Active, LeadStatus.Active)]
    [InlineData(LeadStatus.Lost, LeadStatus.Lost, LeadStatus.Lost)]
    public void The_result_is_active_when_any_record_is_active(LeadStatus first, LeadStatus second, LeadStatus expected)
    {
        Plan([Make(1, l => l.Status = first), Make(2, l => l.Status = second)]).Result.Status.Should().Be(expected);
    }

    [Fact]
    public void A_named_survivor_overrides_the_choice_and_the_others_follow_by_creation()
    {
        var records = new[] { Make(1, l => l.Email = "one@acme.test"), Make(2, l => l.Email = "two@acme.test"), Make(3) };

        var outcome = Plan(records, new MergeOptions(SurvivorId: Id(3)));

        outcome.SurvivorId.Should().Be(Id(3));
        outcome.Result.Id.Should().Be(Id(3));
        outcome.Result.CreatedAt.Should().Be(records[2].CreatedAt);
        outcome.MergedIds.Should().Equal(Id(1), Id(2));
        // The survivor comes first: its empty email gives way to the first created other record.
        outcome.Result.Email.Should().Be("one@acme.test");
    }

    [Fact]
    public void A_named_lost_survivor_is_kept_and_the_result_is_active_when_another_record_is()
    {
        var lost = Make(2, l => { l.Status = LeadStatus.Lost; l.LostReason = "no budget"; });

        var outcome = Plan([Make(1), lost], new MergeOptions(SurvivorId: lost.Id));

        outcome.SurvivorId.Should().Be(lost.Id);
        outcome.Result.Status.Should().Be(LeadStatus.Active);
        outcome.Result.LostReason.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_survivorId_means_none_was_named(string survivorId)
    {
        Plan([Make(2), Make(1)], new MergeOptions(SurvivorId: survivorId)).SurvivorId.Should().Be(Id(1));
    }

    [Fact]
    public void The_result_keeps_the_survivors_identity_and_is_updated_now()
    {
        var survivor = Make(1);
        var other = Make(2, l => l.UpdatedAt = Now.AddDays(1));

        var result = Plan([other, survivor]).Result;

        result.Id.Should().Be(survivor.Id);
        result.CreatedAt.Should().Be(survivor.CreatedAt);
        result.Version.Should().Be(survivor.Version);
        result.UpdatedAt.Should().Be(Now);
        result.MergedInto.Should().BeNull();
        result.DuplicateCheck.Should().BeEquivalentTo(survivor.DuplicateCheck);
        result.DuplicateCheck.Should().NotBeSameAs(survivor.DuplicateCheck);
        result.DuplicateCheck.SimilarIds.Should().NotBeSameAs(survivor.DuplicateCheck.SimilarIds);
    }

    [Fact]
    public void The_result_is_a_new_object_and_no_input_is_changed()
    {
        var records = Enumerable.Range(1, 4).Select(n => Make(n, l =>
        {
            l.Tags = [$"t{n}", " shared "];
            l.Description = $"d{n}";
            l.Street = n == 3 ? "3 Main St" : null;
            l.Priority = n % 4;
        })).Reverse().ToList();
        var before = records.Select(Json).ToList();

        var outcome = Plan(records, new MergeOptions(UserId: Id(50), TeamId: Id(51)));

        records.Select(Json).Should().Equal(before);
        records.Should().NotContain(outcome.Result);
        records.Select(r => r.Tags).Should().NotContain(outcome.Result.Tags);
        outcome.Result.Tags.Add("later");
        records.Select(Json).Should().Equal(before);
    }

    [Fact]
    public void Ten_records_merge()
    {
        var records = Enumerable.Range(1, 10).Select(n => Make(n, l =>
        {
            l.Tags = [$"t{n}"];
            l.Description = $"d{n}";
            l.ExpectedRevenue = n == 10 ? 10m : 0m;
            l.Type = n == 7 ? LeadType.Opportunity : LeadType.Lead;
        })).Reverse().ToList();

        var outcome = Plan(records);

        outcome.SurvivorId.Should().Be(Id(1));
        outcome.MergedIds.Should().Equal(Enumerable.Range(2, 9).Select(Id));
        outcome.Result.Type.Should().Be(LeadType.Opportunity);
        outcome.Result.Tags.Should().Equal(Enumerable.Range(1, 10).Select(n => $"t{n}"));
        outcome.Result.Description.Should().Be(string.Join("\n\n", Enumerable.Range(1, 10).Select(n => $"d{n}")));
        outcome.Result.ExpectedRevenue.Should().Be(10m);
        outcome.Sources["expectedRevenue"].Should().Be(Id(10));
    }

    [Fact]
    public void The_plan_is_the_same_for_any_request_order()
    {
        var records = Enumerable.Range(1, 5).Select(n => Make(n, l =>
        {
            l.Email = n > 2 ? $"p{n}@acme.test" : null;
            l.Tags = [$"t{n % 3}"];
            l.City = n == 4 ? "Lyon" : null;
            l.Description = $"d{n}";
        })).ToList();
        var expected = Plan(records);

        foreach (var order in new[] { records.AsEnumerable().Reverse().ToList(), [records[2], records[0], records[4], records[1], records[3]] })
        {
            var outcome = Plan(order);
            Json(outcome.Result).Should().Be(Json(expected.Result));
            outcome.MergedIds.Should().Equal(expected.MergedIds);
            outcome.Sources.Should().Equal(expected.Sources);
        }
    }
}
