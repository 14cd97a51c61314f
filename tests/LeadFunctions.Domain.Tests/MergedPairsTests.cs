using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

public sealed class MergedPairsTests
{
    private static SimilarRecord Edge(string id, params MatchRule[] rules) =>
        new(id, LeadType.Lead, LeadStatus.Active, null, null, null, null, null, DateTimeOffset.UnixEpoch, rules, 10, []);

    private static IReadOnlyList<MatchRule> RulesOf(string survivor, string[] merged, Dictionary<string, IReadOnlyList<SimilarRecord>> edges) =>
        MergedPairs.RulesOf(survivor, merged, edges);

    [Fact]
    public void A_record_flagged_with_the_survivor_counts_that_pair_s_rules()
    {
        var rules = RulesOf("a", ["b"], new() { ["b"] = [Edge("x", MatchRule.Domain), Edge("a", MatchRule.Email, MatchRule.Phone)] });

        rules.Should().Equal(MatchRule.Email, MatchRule.Phone);
    }

    [Fact]
    public void A_record_not_flagged_with_the_survivor_counts_its_pair_with_another_merged_record()
    {
        var rules = RulesOf("a", ["b", "c"], new()
        {
            ["b"] = [Edge("a", MatchRule.Email)],
            ["c"] = [Edge("x", MatchRule.Domain), Edge("b", MatchRule.Phone)],
        });

        rules.Should().Equal(MatchRule.Email, MatchRule.Phone);
    }

    [Fact]
    public void Two_records_flagged_only_with_each_other_count_their_pair_once()
    {
        var rules = RulesOf("a", ["b", "c"], new()
        {
            ["b"] = [Edge("c", MatchRule.ContactName)],
            ["c"] = [Edge("b", MatchRule.ContactName)],
        });

        rules.Should().Equal(MatchRule.ContactName);
    }

    [Fact]
    public void Records_flagged_with_nothing_in_the_merge_count_nothing()
    {
        var rules = RulesOf("a", ["b", "c"], new() { ["b"] = [Edge("x", MatchRule.Email)] });

        rules.Should().BeEmpty();
    }
}
