using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

public sealed class TombstoneTests
{
    [Theory]
    [InlineData(LeadStatus.Active)]
    [InlineData(LeadStatus.Lost)]
    public void A_tombstone_is_merged_into_the_survivor_and_keeps_every_other_field(LeadStatus status)
    {
        var record = LeadCloneTests.Filled();
        record.Status = status;
        record.MergedInto = null;
        var before = Json(record);

        var tombstone = MergeRules.Tombstone(record, Id(1), Now);

        tombstone.Should().NotBeSameAs(record);
        tombstone.Status.Should().Be(LeadStatus.Merged);
        tombstone.MergedInto.Should().Be(Id(1));
        tombstone.UpdatedAt.Should().Be(Now);
        var expected = LeadCloneTests.Filled();
        expected.Status = LeadStatus.Merged;
        expected.MergedInto = Id(1);
        expected.UpdatedAt = Now;
        Json(tombstone).Should().Be(Json(expected));
        Json(record).Should().Be(before);
        tombstone.Tags.Should().NotBeSameAs(record.Tags);
    }

    [Fact]
    public void A_record_cannot_be_merged_into_itself()
    {
        var record = Make(1);

        FluentActions.Invoking(() => MergeRules.Tombstone(record, record.Id, Now)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_merged_record_cannot_become_a_tombstone_again()
    {
        var record = Make(2, l => { l.Status = LeadStatus.Merged; l.MergedInto = Id(1); });

        FluentActions.Invoking(() => MergeRules.Tombstone(record, Id(3), Now)).Should().Throw<ConflictException>()
            .Which.MergedInto.Should().Be(Id(1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void A_survivor_id_is_required(string? survivorId)
    {
        FluentActions.Invoking(() => MergeRules.Tombstone(Make(2), survivorId!, Now)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Every_merged_away_record_of_a_plan_becomes_a_tombstone_of_the_survivor()
    {
        var records = new[] { Make(3), Make(1), Make(2, l => l.Status = LeadStatus.Lost) };
        var outcome = MergeRules.Plan(records, new MergeOptions(), Now);

        var tombstones = records.Where(r => outcome.MergedIds.Contains(r.Id)).Select(r => MergeRules.Tombstone(r, outcome.SurvivorId, Now)).ToList();

        tombstones.Select(t => t.Id).Should().BeEquivalentTo(outcome.MergedIds);
        tombstones.Should().AllSatisfy(t =>
        {
            t.Status.Should().Be(LeadStatus.Merged);
            t.MergedInto.Should().Be(Id(1));
        });
    }
}
