using System.Text.Json.Nodes;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests.Erasure;

public sealed class PersonalDataTests
{
    private static readonly Matching.PhoneNumbers Phones = new("US");

    private static Lead Ann() => new()
    {
        Id = Ids.New(), Name = "Ann's enquiry", ContactName = "Ann Lee", Email = "Ann.Lee@Example.com", Phone = "(415) 555-0100",
        Street = "1 Market St", City = "San Francisco", Description = "Call me after five.", CompanyName = "Acme",
    };

    [Fact]
    public void A_person_is_known_by_normalized_email_gmail_mailbox_or_e164_phone()
    {
        var target = ErasureTarget.Parse("ann.lee@gmail.com", null, Phones, out var errors);
        errors.IsEmpty.Should().BeTrue();
        target.Matches("AnnLee+news@googlemail.com", null, null, Phones).Should().BeTrue("the same Gmail mailbox");
        target.Matches("ann@other.example", null, null, Phones).Should().BeFalse();

        var byPhone = ErasureTarget.Parse(null, "+1 415 555 0100", Phones, out _);
        byPhone.Matches(Ann(), Phones).Should().BeTrue("(415) 555-0100 in the default region is the same number");
        byPhone.IndexKeys().Should().Equal(new MatchKey(MatchRule.Phone, "+14155550100"));
    }

    [Fact]
    public void A_request_needs_a_valid_email_or_phone()
    {
        ErasureTarget.Parse(null, " ", Phones, out var none);
        none.Contains("email").Should().BeTrue();
        ErasureTarget.Parse("not an email", "12", Phones, out var bad);
        bad.Fields.Should().BeEquivalentTo(["email", "phone"]);
    }

    [Fact]
    public void The_values_that_tell_who_the_person_is_leave_out_short_and_company_values()
    {
        var values = PersonalData.ValuesOf(Ann(), Phones);
        values.Contains("ann.lee@example.com").Should().BeTrue("values are matched without regard to case");
        values.Should().Contain(["Ann.Lee@Example.com", "(415) 555-0100", "+14155550100", "Ann Lee", "Ann's enquiry", "1 Market St", "Call me after five."]);
        values.Should().NotContain("Acme").And.NotContain("San Francisco");
        PersonalData.ValuesOf(new Lead { Name = "Bo" }, Phones).Should().BeEmpty("two letters would match too much elsewhere");
    }

    [Fact]
    public void A_survivor_gives_back_what_it_took_from_the_erased_record_and_keeps_its_own()
    {
        var before = new Lead { Id = Ids.New(), Name = "Renewal", Email = "bob@beta.example", Description = "Bob's notes." };
        var erased = Ann();
        var merged = before.Clone();
        merged.ContactName = erased.ContactName;
        merged.Phone = erased.Phone;
        (merged.Street, merged.City) = (erased.Street, erased.City);
        merged.Description = "Bob's notes.\n\nCall me after five.";

        var cleaned = PersonalData.WithoutContributionOf(merged, before, erased);

        cleaned.Name.Should().Be("Renewal");
        cleaned.Email.Should().Be("bob@beta.example");
        cleaned.ContactName.Should().BeNull();
        cleaned.Phone.Should().BeNull();
        cleaned.Street.Should().BeNull();
        cleaned.City.Should().BeNull("the address goes back as one block");
        cleaned.Description.Should().Be("Bob's notes.");
    }

    [Fact]
    public void An_address_block_without_a_street_goes_back_when_it_is_still_theirs()
    {
        var before = new Lead { Id = Ids.New(), Name = "Renewal", Country = "NO" };
        var erased = new Lead { Id = Ids.New(), Name = "Theirs", City = "Bergen", Zip = "5003", Country = "NO" };
        var merged = before.Clone();
        (merged.City, merged.Zip, merged.Country) = (erased.City, erased.Zip, erased.Country);

        var cleaned = PersonalData.WithoutContributionOf(merged, before, erased);

        (cleaned.City, cleaned.Zip, cleaned.Country).Should().Be((null, null, "NO"), "the survivor's own block is back");
        var edited = merged.Clone();
        edited.City = "Oslo";
        PersonalData.WithoutContributionOf(edited, before, erased).City.Should().Be("Oslo", "an address changed since the merge is the survivor's own");
    }

    [Fact]
    public void The_erased_record_s_touch_leaves_the_survivor_and_its_opt_outs_stay()
    {
        var at = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var before = new Lead { Id = Ids.New(), Name = "Renewal", Source = "web", CreatedAt = at.AddDays(2) };
        var erased = new Lead { Id = Ids.New(), Name = "Theirs", Source = "fair", CreatedAt = at.AddDays(1), DoNotContact = true };
        var other = new Touch(Ids.New(), "google", "cpc", null, at.AddDays(3));
        var merged = before.Clone();
        merged.DoNotContact = true;
        merged.FirstTouch = Touch.Of(erased);
        merged.LastTouch = other;

        var cleaned = PersonalData.WithoutContributionOf(merged, before, erased);

        cleaned.FirstTouch.Should().Be(Touch.Of(before), "the earliest of what is left: the survivor's own");
        cleaned.LastTouch.Should().Be(other, "another record's touch is not theirs");
        cleaned.DoNotContact.Should().BeTrue("an opt-out is never given back");
        PersonalData.WithoutContributionOf(before.Clone(), before, erased).FirstTouch.Should().BeNull("nothing was theirs: nothing changes");
    }

    [Fact]
    public void A_value_the_survivor_had_itself_stays_even_when_the_erased_record_had_it_too()
    {
        var before = new Lead { Id = Ids.New(), Name = "Shared", Description = "Same text." };
        var erased = new Lead { Id = Ids.New(), Name = "Shared", Description = "Same text." };
        var cleaned = PersonalData.WithoutContributionOf(before.Clone(), before, erased);
        cleaned.Name.Should().Be("Shared");
        cleaned.Description.Should().Be("Same text.");
    }

    [Fact]
    public void Scrubbing_replaces_every_string_holding_a_value_wherever_it_is_nested()
    {
        var entry = JsonNode.Parse("""
            {"message": "1 similar record found.", "data": {"similar": [{"id": "X", "name": "Ann Lee", "email": "ann.lee@example.com"}], "note": "keep"}}
            """)!;
        var values = PersonalData.ValuesOf(Ann(), Phones);

        PersonalData.Scrub(entry, values).Should().BeTrue();

        var text = entry.ToJsonString();
        text.Should().NotContain("Ann Lee").And.NotContain("ann.lee@example.com");
        entry["data"]!["similar"]![0]!["id"]!.GetValue<string>().Should().Be("X");
        entry["data"]!["note"]!.GetValue<string>().Should().Be("keep");
        PersonalData.Scrub(entry, values).Should().BeFalse("nothing is left to scrub");
    }

    [Fact]
    public void In_many_people_s_rows_only_the_objects_their_email_names_are_scrubbed()
    {
        var rows = JsonNode.Parse("""
            [{"name": "Ann's enquiry", "email": "ann.lee@example.com", "description": "Call me after five."},
             {"name": "Ann's enquiry", "email": "someone@else.example"}]
            """)!;
        var values = PersonalData.ValuesOf(Ann(), Phones);
        var identifying = PersonalData.Identifying(values, Phones);
        identifying.Should().BeEquivalentTo(["Ann.Lee@Example.com", "(415) 555-0100", "+14155550100"]);

        PersonalData.ScrubTheirs(rows, identifying, values).Should().BeTrue();

        rows[0]!["name"]!.GetValue<string>().Should().Be(PersonalData.Erased);
        rows[0]!["description"]!.GetValue<string>().Should().Be(PersonalData.Erased);
        rows[1]!["name"]!.GetValue<string>().Should().Be("Ann's enquiry", "the same title on another person's row is theirs");
        PersonalData.Mentions(rows, identifying).Should().BeFalse();
    }

    [Fact]
    public void A_short_value_is_theirs_only_as_the_whole_text_a_distinctive_one_anywhere()
    {
        var values = new HashSet<string>(["Mark", "Zephyrine Quillfeather", "ann@x.test"], StringComparer.OrdinalIgnoreCase);
        PersonalData.Holds("mark", values).Should().BeTrue();
        PersonalData.Holds("Marketing plan", values).Should().BeFalse("someone else's text that merely contains a short name stays");
        PersonalData.Holds("Called Zephyrine Quillfeather back", values).Should().BeTrue();
        PersonalData.Holds("Reply to ANN@x.test", values).Should().BeTrue();
    }

    [Fact]
    public void A_company_keeps_its_name_and_what_is_not_theirs_and_loses_their_contact_details()
    {
        var values = PersonalData.ValuesOf(Ann(), Phones);
        var company = new Customer
        {
            Id = Ids.New(), Kind = CustomerKind.Company, Name = "Acme", Email = "ann.lee@example.com", Phone = "+14155550100",
            Website = "https://acme.example", Street = "1 Market St", City = "San Francisco", Zip = "94105", Country = "US",
        };

        var cleaned = PersonalData.WithoutContactOf(company, values, Phones);

        cleaned.Name.Should().Be("Acme", "a company name is the company's");
        cleaned.Email.Should().BeNull("their email, normalized");
        cleaned.Phone.Should().BeNull("their phone, in E.164");
        cleaned.Website.Should().Be("https://acme.example", "not theirs");
        (cleaned.Street, cleaned.City, cleaned.Zip, cleaned.Country).Should().Be((null, null, null, null), "their street takes the address block with it");
        PersonalData.WithoutContactOf(cleaned, values, Phones).Should().BeEquivalentTo(cleaned, "cleaning twice changes nothing more");
    }

    [Fact]
    public void Counts_add_up_field_by_field()
    {
        var total = new ErasureCounts { Records = 1, Customers = 2 };
        total.Add(new ErasureCounts { Records = 2, CustomersCleaned = 1, ImportRows = 4 });
        total.Should().BeEquivalentTo(new ErasureCounts { Records = 3, Customers = 2, CustomersCleaned = 1, ImportRows = 4 });
    }
}
