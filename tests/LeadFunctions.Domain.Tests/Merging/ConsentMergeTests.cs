using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>SPEC 4.2: a merge takes the most restrictive consent of the merged records, whatever the request says.</summary>
public sealed class ConsentMergeTests
{
    private static readonly string[] Flags = ["emailOptOut", "phoneOptOut", "doNotContact"];

    private static bool Get(Lead lead, string flag) => flag switch
    {
        "emailOptOut" => lead.EmailOptOut,
        "phoneOptOut" => lead.PhoneOptOut,
        _ => lead.DoNotContact,
    };

    /// <summary>Record n with the flags of the bits of <paramref name="bits"/>: 1 email, 2 phone, 4 do not contact.</summary>
    private static Lead WithFlags(int n, int bits) => Make(n, l =>
    {
        l.EmailOptOut = (bits & 1) != 0;
        l.PhoneOptOut = (bits & 2) != 0;
        l.DoNotContact = (bits & 4) != 0;
    });

    private static IEnumerable<Lead[]> Orders(Lead[] records) =>
        records.Length <= 1
            ? [records]
            : records.SelectMany((first, i) => Orders([.. records.Where((_, j) => j != i)]).Select(rest => (Lead[])[first, .. rest]));

    /// <summary>
    /// Every combination of flags on three records, in every request order, with every survivor
    /// (chosen or not) and every flag's fieldSources pointing at each record: the result holds a flag
    /// exactly when some record does, and its source names a record that holds the kept value.
    /// </summary>
    [Fact]
    public void No_order_survivor_or_field_source_weakens_consent()
    {
        var plans = 0;
        for (var combination = 0; combination < 8 * 8 * 8; combination++)
        {
            Lead[] records = [WithFlags(1, combination & 7), WithFlags(2, (combination >> 3) & 7), WithFlags(3, combination >> 6)];
            string?[] survivors = [null, .. records.Select(r => r.Id)];
            string?[] picks = [null, .. records.Select(r => r.Id)];
            foreach (var order in Orders(records))
            {
                foreach (var survivor in survivors)
                {
                    foreach (var pick in picks)
                    {
                        var sources = pick is null ? null : Flags.ToDictionary(f => f, _ => pick);
                        var outcome = MergeRules.Plan(order, new MergeOptions(survivor, sources), Now);
                        plans++;
                        foreach (var flag in Flags)
                        {
                            var kept = records.Any(r => Get(r, flag));
                            Get(outcome.Result, flag).Should().Be(kept, $"{flag} of combination {combination}, survivor {survivor}, picked {pick}");
                            Get(records.Single(r => r.Id == outcome.Sources[flag]), flag).Should().Be(kept, "the source holds the kept value");
                        }
                    }
                }
            }
        }
        plans.Should().Be(512 * 6 * 4 * 4);
    }

    [Fact]
    public void A_picked_record_that_holds_the_kept_value_is_named_as_the_source()
    {
        var outcome = MergeRules.Plan([WithFlags(1, 4), WithFlags(2, 0), WithFlags(3, 4)],
            new MergeOptions(FieldSources: new Dictionary<string, string> { ["doNotContact"] = Id(3), ["emailOptOut"] = Id(2) }), Now);

        outcome.Result.DoNotContact.Should().BeTrue();
        outcome.Sources["doNotContact"].Should().Be(Id(3), "the picked record holds it too");
        outcome.Sources["emailOptOut"].Should().Be(Id(2), "nobody opted out, so the pick stands");
    }

    [Fact]
    public void A_pick_of_a_permissive_record_names_the_first_restrictive_one_in_merge_order()
    {
        var outcome = MergeRules.Plan([WithFlags(1, 0), WithFlags(2, 0), WithFlags(3, 2), WithFlags(4, 2)],
            new MergeOptions(FieldSources: new Dictionary<string, string> { ["phoneOptOut"] = Id(1) }), Now);

        outcome.Result.PhoneOptOut.Should().BeTrue();
        outcome.Sources["phoneOptOut"].Should().Be(Id(3));
    }

    [Fact]
    public void Consent_kept_by_one_merge_stays_through_the_next()
    {
        var first = MergeRules.Plan([WithFlags(1, 0), WithFlags(2, 1)], new MergeOptions(), Now).Result;

        var second = MergeRules.Plan([first, WithFlags(3, 6)], new MergeOptions(FieldSources: new Dictionary<string, string> { ["emailOptOut"] = Id(3) }), Now).Result;

        (second.EmailOptOut, second.PhoneOptOut, second.DoNotContact).Should().Be((true, true, true));
    }

    [Fact]
    public void Records_without_consent_flags_merge_to_none()
    {
        var outcome = MergeRules.Plan([Make(1), Make(2)], new MergeOptions(), Now);

        (outcome.Result.EmailOptOut, outcome.Result.PhoneOptOut, outcome.Result.DoNotContact).Should().Be((false, false, false));
        Flags.Should().AllSatisfy(f => outcome.Sources[f].Should().Be(Id(1), "an unpicked value everyone shares is the survivor's"));
    }
}
