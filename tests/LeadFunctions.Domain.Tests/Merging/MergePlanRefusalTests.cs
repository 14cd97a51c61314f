using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>What Plan refuses: 400 for the request, 409 for a merged record, and nothing changed either way.</summary>
public sealed class MergePlanRefusalTests
{
    private static Func<MergeOutcome> Planning(IReadOnlyList<Lead> records, MergeOptions? options = null) =>
        () => MergeRules.Plan(records, options ?? new MergeOptions(), Now);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    public void A_wrong_number_of_records_is_a_validation_error_on_leadIds(int count)
    {
        var records = Enumerable.Range(1, count).Select(n => Make(n)).ToList();

        Planning(records).Should().Throw<ValidationException>()
            .Which.Errors.Fields.Should().Equal("leadIds");
    }

    [Fact]
    public void A_repeated_record_is_a_validation_error_on_leadIds()
    {
        var a = Make(1);

        Planning([a, Make(2), Make(1)]).Should().Throw<ValidationException>()
            .Which.Errors.For("leadIds").Should().ContainSingle().Which.Should().Contain(a.Id);
    }

    [Fact]
    public void The_same_record_object_twice_is_a_repeat()
    {
        var a = Make(1);

        Planning([a, a]).Should().Throw<ValidationException>()
            .Which.Errors.Fields.Should().Equal("leadIds");
    }

    [Fact]
    public void A_merged_record_is_a_conflict_naming_where_it_went()
    {
        var merged = Make(2, l => { l.Status = LeadStatus.Merged; l.MergedInto = Id(9); });

        var conflict = Planning([Make(1), merged, Make(3)]).Should().Throw<ConflictException>().Which;

        conflict.MergedInto.Should().Be(Id(9));
        conflict.Message.Should().Contain(merged.Id).And.Contain(Id(9));
    }

    [Fact]
    public void The_first_merged_record_in_request_order_is_the_one_named()
    {
        var first = Make(3, l => { l.Status = LeadStatus.Merged; l.MergedInto = Id(7); });
        var second = Make(1, l => { l.Status = LeadStatus.Merged; l.MergedInto = Id(8); });

        Planning([Make(2), first, second]).Should().Throw<ConflictException>()
            .Which.MergedInto.Should().Be(Id(7));
    }

    [Fact]
    public void A_merged_record_named_as_survivor_is_still_a_conflict()
    {
        var merged = Make(2, l => { l.Status = LeadStatus.Merged; l.MergedInto = Id(9); });

        Planning([Make(1), merged], new MergeOptions(SurvivorId: merged.Id)).Should().Throw<ConflictException>()
            .Which.MergedInto.Should().Be(Id(9));
    }

    [Fact]
    public void Request_errors_come_before_the_conflict_because_they_do_not_depend_on_the_records_state()
    {
        var merged = Make(2, l => { l.Status = LeadStatus.Merged; l.MergedInto = Id(9); });

        Planning([Make(1), merged], new MergeOptions(SurvivorId: Id(5))).Should().Throw<ValidationException>()
            .Which.Errors.Fields.Should().Equal("survivorId");
    }

    [Fact]
    public void A_survivorId_not_among_the_records_is_a_validation_error()
    {
        Planning([Make(1), Make(2)], new MergeOptions(SurvivorId: Id(3))).Should().Throw<ValidationException>()
            .Which.Errors.Fields.Should().Equal("survivorId");
    }

    [Theory]
    [InlineData("street")]
    [InlineData("city")]
    [InlineData("Email")]
    [InlineData("id")]
    [InlineData("type")]
    [InlineData("status")]
    [InlineData("createdAt")]
    [InlineData("mergedInto")]
    [InlineData("version")]
    [InlineData("duplicateCheck")]
    [InlineData("")]
    public void A_fieldSources_key_that_is_not_a_mergeable_field_is_a_validation_error(string field)
    {
        var options = new MergeOptions(FieldSources: new Dictionary<string, string> { [field] = Id(1) });

        var errors = Planning([Make(1), Make(2)], options).Should().Throw<ValidationException>().Which.Errors;

        errors.Fields.Should().Equal("fieldSources");
        errors.For("fieldSources").Should().ContainSingle().Which.Should().Contain("address");
    }

    [Fact]
    public void A_long_unknown_fieldSources_key_is_shortened_in_the_message()
    {
        var options = new MergeOptions(FieldSources: new Dictionary<string, string> { [new string('k', 5000)] = Id(1) });

        var errors = Planning([Make(1), Make(2)], options).Should().Throw<ValidationException>().Which.Errors;

        errors.For("fieldSources").Single().Length.Should().BeLessThan(1000);
    }

    [Theory]
    [InlineData("01J00000000000000000000003")]
    [InlineData("nonsense")]
    [InlineData("")]
    [InlineData(null)]
    public void A_fieldSources_value_not_among_the_records_is_a_validation_error(string? leadId)
    {
        var options = new MergeOptions(FieldSources: new Dictionary<string, string> { ["email"] = leadId! });

        var errors = Planning([Make(1), Make(2)], options).Should().Throw<ValidationException>().Which.Errors;

        errors.Fields.Should().Equal("fieldSources");
        errors.For("fieldSources").Should().ContainSingle().Which.Should().Contain("'email'");
    }

    [Theory]
    [InlineData("not-an-id", null)]
    [InlineData(null, "not-an-id")]
    public void A_malformed_salesperson_or_team_is_a_validation_error(string? userId, string? teamId)
    {
        var errors = Planning([Make(1), Make(2)], new MergeOptions(UserId: userId, TeamId: teamId))
            .Should().Throw<ValidationException>().Which.Errors;

        errors.Fields.Should().Equal(userId is null ? "teamId" : "userId");
    }

    [Fact]
    public void Every_request_error_is_reported_at_once()
    {
        var options = new MergeOptions(
            SurvivorId: Id(9),
            FieldSources: new Dictionary<string, string> { ["street"] = Id(1), ["email"] = Id(9) },
            UserId: "x",
            TeamId: "y");

        var errors = Planning([Make(1), Make(1)], options).Should().Throw<ValidationException>().Which.Errors;

        errors.Fields.Should().BeEquivalentTo("leadIds", "survivorId", "fieldSources", "userId", "teamId");
        errors.For("fieldSources").Should().HaveCount(2);
    }

    [Fact]
    public void Null_arguments_are_programming_errors()
    {
        Planning(null!).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => MergeRules.Plan([Make(1), Make(2)], null!, Now)).Should().Throw<ArgumentNullException>();
        Planning([Make(1), null!]).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => MergeRules.ValidateIds(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void A_refused_merge_changes_no_record()
    {
        var records = new[] { Make(1, l => l.Tags = ["a"]), Make(2, l => { l.Status = LeadStatus.Merged; l.MergedInto = Id(3); }) };
        var before = records.Select(Json).ToList();

        Planning(records).Should().Throw<ConflictException>();
        Planning(records, new MergeOptions(SurvivorId: Id(4))).Should().Throw<ValidationException>();

        records.Select(Json).Should().Equal(before);
    }
}
