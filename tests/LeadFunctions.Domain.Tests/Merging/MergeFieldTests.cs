using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>The field rules of SPEC 4.4 without fieldSources.</summary>
public sealed class MergeFieldTests
{
    private static MergeOutcome Plan(params Lead[] records) => MergeRules.Plan(records, new MergeOptions(), Now);

    /// <summary>The acceptance scenario of the merge issue.</summary>
    [Fact]
    public void A_merged_with_B_asked_as_B_then_A_keeps_A_and_takes_the_best_of_both()
    {
        var a = Make(1, l =>
        {
            l.Name = "Acme deal";
            l.Email = "ann@acme.test";
            l.Phone = "";
            l.Tags = ["x", "y"];
            l.Priority = 1;
            l.ExpectedRevenue = 0m;
            l.Description = "first";
            l.City = "Paris";
            l.Probability = 20;
        });
        var b = Make(2, l =>
        {
            l.Name = "Acme (web form)";
            l.Email = "bob@acme.test";
            l.Phone = "+33 1 23 45 67 89";
            l.Tags = ["y", "z"];
            l.Priority = 3;
            l.ExpectedRevenue = 5000m;
            l.Street = "1 rue de la Paix";
            l.City = "Lyon";
            l.Zip = "69001";
            l.Country = "FR";
            l.Description = "second";
            l.Probability = 80;
        });

        var outcome = Plan(b, a);
        var result = outcome.Result;

        outcome.SurvivorId.Should().Be(a.Id);
        outcome.MergedIds.Should().Equal(b.Id);
        result.Id.Should().Be(a.Id);
        result.Name.Should().Be("Acme deal");
        result.Email.Should().Be("ann@acme.test");
        result.Phone.Should().Be("+33 1 23 45 67 89");
        result.Tags.Should().Equal("x", "y", "z");
        result.Priority.Should().Be(3);
        result.ExpectedRevenue.Should().Be(5000m);
        result.Probability.Should().Be(20);
        (result.Street, result.City, result.Zip, result.State, result.Country)
            .Should().Be(("1 rue de la Paix", "Lyon", "69001", (string?)null, "FR"));
        result.Description.Should().Be("first\n\nsecond");
        outcome.Sources.Should().Contain(new Dictionary<string, string>
        {
            ["name"] = a.Id,
            ["email"] = a.Id,
            ["phone"] = b.Id,
            ["tags"] = a.Id,
            ["priority"] = b.Id,
            ["expectedRevenue"] = b.Id,
            ["probability"] = a.Id,
            ["address"] = b.Id,
            ["description"] = a.Id,
        });
    }

    public sealed record TextField(string Name, Func<Lead, string?> Get, Action<Lead, string?> Set)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<TextField> TextFields => new(
        new TextField("name", l => l.Name, (l, v) => l.Name = v),
        new TextField("contactName", l => l.ContactName, (l, v) => l.ContactName = v),
        new TextField("email", l => l.Email, (l, v) => l.Email = v),
        new TextField("phone", l => l.Phone, (l, v) => l.Phone = v),
        new TextField("companyName", l => l.CompanyName, (l, v) => l.CompanyName = v),
        new TextField("website", l => l.Website, (l, v) => l.Website = v),
        new TextField("userId", l => l.UserId, (l, v) => l.UserId = v),
        new TextField("teamId", l => l.TeamId, (l, v) => l.TeamId = v),
        new TextField("customerId", l => l.CustomerId, (l, v) => l.CustomerId = v),
        new TextField("source", l => l.Source, (l, v) => l.Source = v),
        new TextField("medium", l => l.Medium, (l, v) => l.Medium = v),
        new TextField("campaign", l => l.Campaign, (l, v) => l.Campaign = v));

    [Theory]
    [MemberData(nameof(TextFields))]
    public void A_single_valued_field_is_the_survivors_when_filled(TextField field)
    {
        var outcome = Plan(Make(2, l => field.Set(l, "second")), Make(1, l => field.Set(l, "first")));

        field.Get(outcome.Result).Should().Be("first");
        outcome.Sources[field.Name].Should().Be(Id(1));
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public void An_empty_single_valued_field_takes_the_first_filled_one_in_creation_order(TextField field)
    {
        foreach (var empty in new[] { null, "", " ", "\t\n" })
        {
            var outcome = Plan(
                Make(4, l => field.Set(l, "fourth")),
                Make(1, l => field.Set(l, empty)),
                Make(2, l => field.Set(l, empty)),
                Make(3, l => field.Set(l, " third ")));

            field.Get(outcome.Result).Should().Be(" third ", "the value is taken as stored, never altered");
            outcome.Sources[field.Name].Should().Be(Id(3));
        }
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public void A_single_valued_field_empty_everywhere_stays_the_survivors(TextField field)
    {
        var outcome = Plan(Make(2, l => field.Set(l, null)), Make(1, l => field.Set(l, " ")));

        field.Get(outcome.Result).Should().Be(" ");
        outcome.Sources[field.Name].Should().Be(Id(1));
    }

    [Fact]
    public void A_lost_reason_is_merged_like_a_single_valued_field_when_the_result_is_lost()
    {
        var outcome = Plan(
            Make(1, l => { l.Status = LeadStatus.Lost; l.LostReason = null; }),
            Make(2, l => { l.Status = LeadStatus.Lost; l.LostReason = "went with a competitor"; }),
            Make(3, l => { l.Status = LeadStatus.Lost; l.LostReason = "no budget"; }));

        outcome.Result.LostReason.Should().Be("went with a competitor");
        outcome.Sources["lostReason"].Should().Be(Id(2));
    }

    [Fact]
    public void Zero_revenue_counts_as_empty()
    {
        var outcome = Plan(Make(1), Make(2, l => l.ExpectedRevenue = 0m), Make(3, l => l.ExpectedRevenue = 1200.50m), Make(4, l => l.ExpectedRevenue = 99m));

        outcome.Result.ExpectedRevenue.Should().Be(1200.50m);
        outcome.Sources["expectedRevenue"].Should().Be(Id(3));
    }

    [Fact]
    public void The_survivors_revenue_wins_when_set_even_if_lower()
    {
        var outcome = Plan(Make(1, l => l.ExpectedRevenue = 10m), Make(2, l => l.ExpectedRevenue = 5000m));

        outcome.Result.ExpectedRevenue.Should().Be(10m);
        outcome.Sources["expectedRevenue"].Should().Be(Id(1));
    }

    [Fact]
    public void Revenue_zero_everywhere_stays_zero_from_the_survivor()
    {
        var outcome = Plan(Make(2), Make(1));

        outcome.Result.ExpectedRevenue.Should().Be(0m);
        outcome.Sources["expectedRevenue"].Should().Be(Id(1));
    }

    [Fact]
    public void ConvertedAt_is_the_first_one_set()
    {
        var outcome = Plan(Make(1), Make(2, l => l.ConvertedAt = T0.AddDays(3)), Make(3, l => l.ConvertedAt = T0.AddDays(1)));

        outcome.Result.ConvertedAt.Should().Be(T0.AddDays(3));
        outcome.Sources["convertedAt"].Should().Be(Id(2));
    }

    [Fact]
    public void ConvertedAt_unset_everywhere_stays_unset()
    {
        var outcome = Plan(Make(1), Make(2));

        outcome.Result.ConvertedAt.Should().BeNull();
        outcome.Sources["convertedAt"].Should().Be(Id(1));
    }

    [Fact]
    public void Descriptions_are_joined_in_merge_order_by_a_blank_line_skipping_empty_ones()
    {
        var outcome = Plan(
            Make(4, l => l.Description = "fourth\nline two"),
            Make(2, l => l.Description = "   "),
            Make(1, l => l.Description = "first"),
            Make(3, l => l.Description = null),
            Make(5, l => l.Description = "fifth"));

        outcome.Result.Description.Should().Be("first\n\nfourth\nline two\n\nfifth");
        outcome.Sources["description"].Should().Be(Id(1), "several records wrote it, so it names the survivor");
    }

    [Fact]
    public void A_description_written_by_one_other_record_alone_is_kept_whole_and_named_by_it()
    {
        var outcome = Plan(Make(1), Make(2, l => l.Description = "only\n\nthis"), Make(3, l => l.Description = " "));

        outcome.Result.Description.Should().Be("only\n\nthis");
        outcome.Sources["description"].Should().Be(Id(2));
    }

    [Fact]
    public void A_description_empty_everywhere_stays_the_survivors()
    {
        var outcome = Plan(Make(1, l => l.Description = ""), Make(2));

        outcome.Result.Description.Should().Be("");
        outcome.Sources["description"].Should().Be(Id(1));
    }

    [Fact]
    public void Tags_are_the_union_in_merge_order_trimmed_and_case_sensitive()
    {
        var outcome = Plan(
            Make(2, l => l.Tags = [" vip", "Web", "", "  ", "new"]),
            Make(1, l => l.Tags = ["web", "vip ", "web"]),
            Make(3, l => l.Tags = ["new", "VIP"]));

        outcome.Result.Tags.Should().Equal("web", "vip", "Web", "new", "VIP");
        outcome.Sources["tags"].Should().Be(Id(1));
    }

    [Fact]
    public void Tags_contributed_by_one_other_record_alone_are_named_by_it()
    {
        var outcome = Plan(Make(1), Make(2, l => l.Tags = ["a", "b"]), Make(3, l => l.Tags = ["b", " a "]));

        outcome.Result.Tags.Should().Equal("a", "b");
        outcome.Sources["tags"].Should().Be(Id(2));
    }

    [Fact]
    public void No_tags_anywhere_give_an_empty_list_named_by_the_survivor()
    {
        var outcome = Plan(Make(1, l => l.Tags = [" "]), Make(2));

        outcome.Result.Tags.Should().BeEmpty();
        outcome.Sources["tags"].Should().Be(Id(1));
    }

    [Fact]
    public void Priority_is_the_highest_and_a_tie_names_the_earliest_record()
    {
        var outcome = Plan(Make(1, l => l.Priority = 1), Make(3, l => l.Priority = 2), Make(2, l => l.Priority = 2), Make(4));

        outcome.Result.Priority.Should().Be(2);
        outcome.Sources["priority"].Should().Be(Id(2));
    }

    [Fact]
    public void Priority_zero_everywhere_is_zero_from_the_survivor()
    {
        var outcome = Plan(Make(2), Make(1));

        outcome.Result.Priority.Should().Be(0);
        outcome.Sources["priority"].Should().Be(Id(1));
    }

    [Fact]
    public void Probability_stays_the_survivors_even_when_zero()
    {
        var outcome = Plan(Make(1, l => l.Probability = 0), Make(2, l => l.Probability = 90));

        outcome.Result.Probability.Should().Be(0);
        outcome.Sources["probability"].Should().Be(Id(1));
    }

    [Fact]
    public void The_address_comes_whole_from_the_record_with_the_most_fields_filled()
    {
        var outcome = Plan(
            Make(1, l => { l.Street = "1 Short St"; l.City = "Leeds"; }),
            Make(2, l => { l.City = "York"; l.Zip = "YO1"; l.Country = "GB"; }),
            Make(3, l => { l.Street = "3 Long Rd"; l.City = " "; l.Zip = ""; l.State = "  "; }));

        var result = outcome.Result;
        (result.Street, result.City, result.Zip, result.State, result.Country)
            .Should().Be(((string?)null, "York", "YO1", (string?)null, "GB"), "nothing of another record's address is mixed in");
        outcome.Sources["address"].Should().Be(Id(2));
    }

    [Fact]
    public void An_address_tie_goes_to_the_earlier_record_in_merge_order()
    {
        var outcome = Plan(
            Make(3, l => { l.City = "Third"; l.Zip = "3"; }),
            Make(2, l => { l.City = "Second"; l.Country = "2"; }),
            Make(1, l => l.City = "First"));

        outcome.Result.City.Should().Be("Second");
        outcome.Result.Country.Should().Be("2");
        outcome.Result.Zip.Should().BeNull();
        outcome.Sources["address"].Should().Be(Id(2));
    }

    [Fact]
    public void An_address_tie_with_the_survivor_keeps_the_survivors()
    {
        var outcome = Plan(Make(2, l => l.City = "Other"), Make(1, l => l.Zip = "S1"));

        outcome.Result.City.Should().BeNull();
        outcome.Result.Zip.Should().Be("S1");
        outcome.Sources["address"].Should().Be(Id(1));
    }

    [Fact]
    public void An_address_empty_everywhere_stays_the_survivors()
    {
        var outcome = Plan(Make(1, l => l.Street = " "), Make(2));

        outcome.Result.Street.Should().Be(" ");
        outcome.Sources["address"].Should().Be(Id(1));
    }

    [Fact]
    public void Sources_names_the_record_of_every_field()
    {
        var a = Make(1, l =>
        {
            l.Name = "A";
            l.Email = "a@acme.test";
            l.UserId = Id(60);
            l.Source = "web";
            l.Description = "a";
            l.Tags = ["x"];
            l.Probability = 10;
        });
        var b = Make(2, l =>
        {
            l.Name = "B";
            l.ContactName = "Bea";
            l.Phone = "+44 20 7946 0000";
            l.Website = "b.test";
            l.TeamId = Id(61);
            l.Medium = "email";
            l.Priority = 3;
            l.ExpectedRevenue = 100m;
            l.ConvertedAt = T0.AddDays(2);
            l.City = "Bath";
            l.Description = "b";
            l.Tags = ["y"];
            l.PhoneOptOut = true;
        });
        var c = Make(3, l =>
        {
            l.CompanyName = "Acme";
            l.CustomerId = Id(62);
            l.Campaign = "spring";
            l.Priority = 3;
            l.ExpectedRevenue = 200m;
            l.Status = LeadStatus.Lost;
            l.LostReason = "duplicate";
            l.PhoneOptOut = true;
            l.DoNotContact = true;
        });

        var outcome = Plan(c, b, a);

        outcome.Sources.Should().Equal(new Dictionary<string, string>
        {
            ["name"] = a.Id,
            ["contactName"] = b.Id,
            ["email"] = a.Id,
            ["phone"] = b.Id,
            ["companyName"] = c.Id,
            ["website"] = b.Id,
            ["address"] = b.Id,
            ["description"] = a.Id,
            ["tags"] = a.Id,
            ["priority"] = b.Id,
            ["expectedRevenue"] = b.Id,
            ["probability"] = a.Id,
            ["userId"] = a.Id,
            ["teamId"] = b.Id,
            ["customerId"] = c.Id,
            ["source"] = a.Id,
            ["medium"] = b.Id,
            ["campaign"] = c.Id,
            ["lostReason"] = a.Id,
            ["convertedAt"] = b.Id,
            ["emailOptOut"] = a.Id,
            ["phoneOptOut"] = b.Id,
            ["doNotContact"] = c.Id,
        });
        outcome.Sources.Keys.Should().Equal(MergeRules.MergeableFields, "the sources are listed in the order of the fields");
    }

    [Fact]
    public void Every_source_value_is_read_from_the_record_it_names()
    {
        var records = Enumerable.Range(1, 6).Select(n => Make(n, l =>
        {
            l.Name = n % 2 == 0 ? $"name{n}" : null;
            l.Email = n > 3 ? $"e{n}@acme.test" : " ";
            l.Phone = n == 5 ? "+1 202 555 0100" : null;
            l.Priority = n % 3;
            l.ExpectedRevenue = n == 1 ? 0m : n * 10m;
            l.Zip = n == 6 ? "600" : null;
            l.Country = n is 6 or 4 ? "X" : null;
        })).Reverse().ToList();

        var outcome = Plan([.. records]);
        var byId = records.ToDictionary(r => r.Id);

        outcome.Result.Name.Should().Be(byId[outcome.Sources["name"]].Name);
        outcome.Result.Email.Should().Be(byId[outcome.Sources["email"]].Email);
        outcome.Result.Phone.Should().Be(byId[outcome.Sources["phone"]].Phone);
        outcome.Result.Priority.Should().Be(byId[outcome.Sources["priority"]].Priority);
        outcome.Result.ExpectedRevenue.Should().Be(byId[outcome.Sources["expectedRevenue"]].ExpectedRevenue);
        outcome.Result.Zip.Should().Be(byId[outcome.Sources["address"]].Zip);
        (outcome.Result.Name, outcome.Result.Email, outcome.Result.Phone, outcome.Result.Priority, outcome.Result.ExpectedRevenue, outcome.Result.Zip)
            .Should().Be(("name2", "e4@acme.test", "+1 202 555 0100", 2, 20m, "600"));
    }
}
