using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Accuracy.Tests;

public sealed class AccuracyReportTests
{
    private static LabelledRecord Record(int index, int cluster, string email, IReadOnlyList<Variation>? variations = null, HardNegative? negative = null, int? resembles = null) =>
        new(index, cluster, $"Person {index}", email, null, null, null, variations ?? [], negative, resembles);

    [Fact]
    public void Precision_recall_and_f1_count_pairs_per_rule_and_overall()
    {
        // Cluster 0 holds records 0, 1, 2 (three true pairs); record 3 is a colleague of cluster 0.
        var records = new[]
        {
            Record(0, 0, "a@x.test"), Record(1, 0, "a@x.test", [Variation.SameEmail]), Record(2, 0, "b@x.test", [Variation.NewEmailSameCompany]),
            Record(3, 1, "c@x.test", negative: HardNegative.Colleague, resembles: 0),
        };
        var found = new[] { new FoundPair(0, 1, ["email", "domain"]), new FoundPair(0, 3, ["domain"]), new FoundPair(1, 3, ["domain"]) };

        var report = AccuracyReport.Of(records, found);

        report.Overall.Should().Be(new RuleScore("all rules", 3, 1, 3));
        report.Overall.Precision.Should().BeApproximately(1 / 3d, 1e-9);
        report.Overall.Recall.Should().BeApproximately(1 / 3d, 1e-9);
        report.Rules.Should().Equal(new RuleScore("domain", 3, 1, 3), new RuleScore("email", 1, 1, 3));
        report.Rules[1].F1.Should().BeApproximately(0.5, 1e-9);
        report.Variations.Should().Equal(new Tally("SameEmail", 1, 1), new Tally("NewEmailSameCompany", 1, 0));
        report.HardNegatives.Should().Equal(new Tally("Colleague", 3, 2));
    }

    [Fact]
    public void The_in_memory_index_pairs_by_the_domains_rules_and_drops_a_crowded_domain()
    {
        // 21 namesakes at one company domain crowd the domain and the name: none pairs; two others share a phone and a name.
        var records = Enumerable.Range(0, 21).Select(i => Record(i, i, $"p{i}@crowded-corp.test") with { ContactName = "Sam Jones" })
            .Append(new LabelledRecord(21, 21, "Ann Lee", "ann@one.test", "+32 470 12 34 56", null, null, []))
            .Append(new LabelledRecord(22, 21, "Ann Lee", "ann.lee@two.test", "0470 12 34 56", null, "Belgium", [Variation.PhoneCountryPrefix]))
            .ToList();

        var pairs = InMemoryDetection.Find(records, new DuplicateRules(), new PhoneNumbers("US"));

        pairs.Should().ContainSingle().Which.Should().BeEquivalentTo(new FoundPair(21, 22, ["phone", "contact-name"]));
    }

    [Fact]
    public void At_five_thousand_records_the_default_rules_pair_no_hard_negative_and_find_each_variation()
    {
        // Enough records for every variation to have a hundred pairs or so: a share of a dozen says little.
        var records = LabelledGenerator.Generate(5_000);
        var report = AccuracyReport.Of(records, InMemoryDetection.Find(records, new DuplicateRules(), new PhoneNumbers("US")));

        report.HardNegatives.Should().OnlyContain(t => t.Found == 0, "namesakes, colleagues, free-mail neighbours and relatives are other people");
        report.Variations.Should().OnlyContain(t => t.Share >= 0.9, "each variation real forms produce is still found");
        report.Overall.Precision.Should().BeGreaterThanOrEqualTo(0.98);
        report.Overall.Recall.Should().BeGreaterThanOrEqualTo(0.95);
    }
}
