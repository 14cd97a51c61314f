using LeadFunctions.Domain.Merging;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

public sealed class MergeIdsValidationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    public void Two_to_ten_distinct_well_formed_ids_pass(int count)
    {
        var ids = Enumerable.Range(1, count).Select(Id).ToList();

        MergeRules.ValidateIds(ids).IsEmpty.Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(50)]
    public void Fewer_than_two_or_more_than_ten_ids_are_refused_on_leadIds(int count)
    {
        var ids = Enumerable.Range(1, count).Select(Id).ToList();

        var errors = MergeRules.ValidateIds(ids);

        errors.Fields.Should().Equal("leadIds");
        errors.For("leadIds").Should().ContainSingle().Which.Should().Contain("2 to 10").And.Contain($"{count} given");
    }

    [Fact]
    public void A_repeated_id_is_refused_and_named()
    {
        var errors = MergeRules.ValidateIds([Id(1), Id(2), Id(1)]);

        errors.Fields.Should().Equal("leadIds");
        errors.For("leadIds").Should().ContainSingle().Which.Should().Contain(Id(1)).And.NotContain(Id(2));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("01j00000000000000000000001")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAU")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAV0")]
    public void A_malformed_id_is_refused_by_its_index(string malformed)
    {
        var errors = MergeRules.ValidateIds([Id(1), malformed]);

        errors.Fields.Should().Equal("leadIds");
        errors.For("leadIds").Should().ContainSingle().Which.Should().Contain("index 1");
    }

    [Fact]
    public void A_null_id_is_malformed()
    {
        var errors = MergeRules.ValidateIds([Id(1), null!]);

        errors.For("leadIds").Should().ContainSingle().Which.Should().Contain("index 1");
    }

    [Fact]
    public void A_long_malformed_id_is_not_echoed()
    {
        var junk = new string('x', 10_000);

        var errors = MergeRules.ValidateIds([junk, junk]);

        errors.For("leadIds").Should().HaveCount(2).And.AllSatisfy(m => m.Should().NotContain("xxx"));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ids = Enumerable.Range(1, 10).Select(Id).Append(Id(3)).Append("bad").ToList();

        var errors = MergeRules.ValidateIds(ids);

        errors.For("leadIds").Should().HaveCount(3);
    }

    [Fact]
    public void The_limits_are_those_of_the_spec()
    {
        MergeRules.MinRecords.Should().Be(2);
        MergeRules.MaxRecords.Should().Be(10);
    }
}
