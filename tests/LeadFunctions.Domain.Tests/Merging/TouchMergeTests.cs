using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>SPEC 4.2: a merge keeps the first and the last touch of the merged records, each with its record.</summary>
public sealed class TouchMergeTests
{
    private static Lead From(int n, string? source, string? medium = null, string? campaign = null) => Make(n, l =>
    {
        l.Source = source;
        l.Medium = medium;
        l.Campaign = campaign;
    });

    private static MergeOutcome Plan(MergeOptions options, params Lead[] records) => MergeRules.Plan(records, options, Now);

    [Fact]
    public void A_record_never_merged_has_no_touches()
    {
        var lead = From(1, "web");
        (lead.FirstTouch, lead.LastTouch).Should().Be(((Touch?)null, (Touch?)null));
    }

    [Fact]
    public void The_earliest_and_latest_created_records_are_the_touches_whoever_survives()
    {
        var fair = From(1, "fair", "offline", "expo-2025");
        var ad = From(2, "google", "cpc", "spring");
        var mail = From(3, "newsletter", "email", "june");

        foreach (var survivor in new[] { fair, ad, mail })
        {
            var outcome = Plan(new MergeOptions(survivor.Id), mail, fair, ad);

            outcome.Result.FirstTouch.Should().Be(new Touch(fair.Id, "fair", "offline", "expo-2025", fair.CreatedAt));
            outcome.Result.LastTouch.Should().Be(new Touch(mail.Id, "newsletter", "email", "june", mail.CreatedAt));
        }
    }

    [Fact]
    public void Records_without_attribution_are_no_touch()
    {
        var outcome = Plan(new MergeOptions(), Make(1), From(2, null, "cpc"), Make(3));

        outcome.Result.FirstTouch.Should().Be(new Touch(Id(2), null, "cpc", null, Make(2).CreatedAt), "a medium alone is attribution");
        outcome.Result.LastTouch.Should().Be(outcome.Result.FirstTouch);
        Plan(new MergeOptions(), Make(1), Make(2, l => l.Source = " ")).Result.FirstTouch.Should().BeNull("blank is no attribution");
    }

    [Fact]
    public void A_survivor_of_an_earlier_merge_brings_its_touches_not_the_attribution_it_took()
    {
        var earlier = Plan(new MergeOptions(), Make(2), From(5, "google"), From(8, "newsletter")).Result;
        earlier.Source.Should().Be("google", "the first filled source, taken from record 5, on record 2 created before it");

        var between = Plan(new MergeOptions(), earlier, From(3, "partner")).Result;
        var after = Plan(new MergeOptions(), earlier, From(9, "radio")).Result;

        (between.FirstTouch!.LeadId, between.LastTouch!.LeadId).Should().Be((Id(3), Id(8)));
        (after.FirstTouch!.LeadId, after.LastTouch!.LeadId).Should().Be((Id(5), Id(9)));
    }

    [Fact]
    public void Two_merged_survivors_give_the_earliest_and_latest_of_all_their_touches()
    {
        var one = Plan(new MergeOptions(), From(3, "a"), From(4, "b")).Result;
        var two = Plan(new MergeOptions(), From(1, "c"), From(9, "d")).Result;

        var both = Plan(new MergeOptions(), one, two).Result;

        (both.FirstTouch!.Source, both.LastTouch!.Source).Should().Be(("c", "d"));
    }

    [Fact]
    public void Equal_creation_times_are_ordered_by_id()
    {
        var a = From(1, "a");
        var b = From(2, "b", null, null);
        b.CreatedAt = a.CreatedAt;

        var result = Plan(new MergeOptions(), b, a).Result;

        (result.FirstTouch!.LeadId, result.LastTouch!.LeadId).Should().Be((a.Id, b.Id));
    }

    [Fact]
    public void The_single_valued_attribution_still_follows_the_field_rules_and_picks()
    {
        var outcome = Plan(new MergeOptions(FieldSources: new Dictionary<string, string> { ["campaign"] = Id(2) }),
            From(1, null, "cpc", "spring"), From(2, "google", null, "summer"));

        (outcome.Result.Source, outcome.Result.Medium, outcome.Result.Campaign).Should().Be(("google", "cpc", "summer"));
        outcome.Result.FirstTouch!.Campaign.Should().Be("spring", "a touch is its record's own attribution, whatever was picked");
        outcome.Result.LastTouch!.Campaign.Should().Be("summer");
    }

    [Fact]
    public void No_attribution_anywhere_leaves_both_touches_null()
    {
        var result = Plan(new MergeOptions(), Make(1), Make(2)).Result;
        (result.FirstTouch, result.LastTouch).Should().Be(((Touch?)null, (Touch?)null));
    }

    [Fact]
    public void Chosen_again_without_the_records_of_an_undone_merge_the_touches_keep_a_later_merge_s()
    {
        var before = From(2, "web");
        var first = Plan(new MergeOptions(), before, From(5, "fair")).Result;
        var second = Plan(new MergeOptions(), first, From(7, "partner"), From(1, "radio")).Result;

        var (earliest, latest) = Touches.Without([Id(5)], second, before);

        (earliest!.LeadId, latest!.LeadId).Should().Be((Id(1), Id(7)));
        Touches.Without([Id(5)], first, before).Should().Be((Touch.Of(before), Touch.Of(before)), "the survivor's own touch is what is left");
        Touches.Without([Id(2), Id(5)], first, Make(2)).Should().Be(((Touch?)null, (Touch?)null), "nothing is left");
    }

    [Fact]
    public void Tombstones_keep_their_own_touches()
    {
        var earlier = Plan(new MergeOptions(), From(1, "a"), From(2, "b")).Result;
        var tombstone = MergeRules.Tombstone(earlier, Id(9), Now);
        (tombstone.FirstTouch, tombstone.LastTouch).Should().Be((earlier.FirstTouch, earlier.LastTouch));
    }
}
