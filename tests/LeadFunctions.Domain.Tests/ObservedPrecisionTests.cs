using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

public sealed class ObservedPrecisionTests
{
    [Theory]
    [InlineData(3, 1, 0.75)]
    [InlineData(1, 0, 1.0)]
    [InlineData(0, 4, 0.0)]
    [InlineData(2, 1, 2.0 / 3)]
    public void Precision_is_the_share_of_decided_pairs_that_were_merged(long merged, long dismissed, double expected) =>
        new RuleDecisions(merged, dismissed).Precision.Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void A_rule_nobody_decided_on_has_no_precision_rather_than_zero() =>
        RuleDecisions.None.Precision.Should().BeNull();

    [Fact]
    public void Each_rule_shows_under_its_duplicateRules_name_with_its_own_counts()
    {
        var observed = ObservedPrecision.From(rule => new RuleDecisions((long)rule, 1));

        var json = JsonSerializer.SerializeToNode(observed, JsonDefaults.Options)!.AsObject();
        var rules = JsonSerializer.SerializeToNode(new DuplicateRules(), JsonDefaults.Options)!.AsObject();

        json.Select(p => p.Key).Should().Equal(rules.Select(p => p.Key));
        json["emailAlias"]!.ToJsonString().Should().Be("""{"merged":1,"dismissed":1,"precision":0.5}""");
        json["contactName"]!["merged"]!.GetValue<long>().Should().Be((long)MatchRule.ContactName);
        ((JsonObject)JsonSerializer.SerializeToNode(new ObservedPrecision(), JsonDefaults.Options)!["phone"]!)["precision"].Should().BeNull();
    }
}
