using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

public sealed class LeadValidatorTests
{
    private static readonly PhoneNumbers Phones = new("US");

    private static LeadInput Valid() => new()
    {
        Name = "Website redesign",
        ContactName = "Ann Lee",
        Email = "\"Ann L\" <ann.lee@acme-corp.test>",
        Phone = "415.555.2671",
        CompanyName = "Acme Corp",
        Website = "https://acme-corp.test/about?x=1",
        Street = "1 Main St",
        City = "Springfield",
        Zip = "12345",
        State = "CA",
        Country = "US",
        Description = "Line one\r\nLine\ttwo",
        Tags = ["web", "quote"],
        Priority = 3,
        ExpectedRevenue = 1_000_000_000_000m,
        Probability = 100,
        UserId = "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        TeamId = "01ARZ3NDEKTSV4RRFFQ69G5FAW",
        CustomerId = "01ARZ3NDEKTSV4RRFFQ69G5FAX",
        Source = "web",
        Medium = "cpc",
        Campaign = "spring",
    };

    private static ValidationErrors Validate(LeadInput input, bool requireContact = false) =>
        LeadValidator.Validate(input, Phones, requireContact);

    private static void ShouldFailOnlyOn(LeadInput input, string field)
    {
        var errors = Validate(input);
        errors.Fields.Should().Equal([field], errors.ToString());
    }

    [Fact]
    public void A_full_input_at_every_upper_limit_is_valid() => Validate(Valid(), requireContact: true).IsEmpty.Should().BeTrue();

    [Fact]
    public void An_empty_input_is_valid_when_no_contact_is_required() => Validate(new LeadInput()).IsEmpty.Should().BeTrue();

    [Fact]
    public void Zero_values_at_the_lower_limits_are_valid() =>
        Validate(new LeadInput { Priority = 0, Probability = 0, ExpectedRevenue = 0m, Tags = [] }).IsEmpty.Should().BeTrue();

    [Fact]
    public void A_required_contact_is_missing_without_email_and_phone()
    {
        var errors = Validate(new LeadInput { Name = "x", Email = " ", Phone = "" }, requireContact: true);
        errors.Fields.Should().Equal("email");
    }

    [Theory]
    [InlineData("ann@acme-corp.test", null)]
    [InlineData(null, "415.555.2671")]
    public void Either_an_email_or_a_phone_is_contact_enough(string? email, string? phone) =>
        Validate(new LeadInput { Email = email, Phone = phone }, requireContact: true).IsEmpty.Should().BeTrue();

    [Theory]
    [InlineData("ann")]
    [InlineData("ann@acme")]
    [InlineData("ann@acme.test, bob@acme.test")]
    public void An_email_that_does_not_normalize_is_an_error(string email) => ShouldFailOnlyOn(new LeadInput { Email = email }, "email");

    [Fact]
    public void An_invalid_email_is_not_also_reported_as_missing_contact()
    {
        var errors = Validate(new LeadInput { Email = "nope" }, requireContact: true);
        errors.For("email").Should().ContainSingle();
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("555-2671")]
    [InlineData("call me")]
    public void A_phone_that_does_not_normalize_is_an_error(string phone) => ShouldFailOnlyOn(new LeadInput { Phone = phone }, "phone");

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Priority_outside_0_to_3_is_an_error(int priority) => ShouldFailOnlyOn(new LeadInput { Priority = priority }, "priority");

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Probability_outside_0_to_100_is_an_error(int probability) => ShouldFailOnlyOn(new LeadInput { Probability = probability }, "probability");

    [Theory]
    [InlineData("-0.01")]
    [InlineData("1000000000000.01")]
    public void Expected_revenue_outside_0_to_a_trillion_is_an_error(string revenue) =>
        ShouldFailOnlyOn(new LeadInput { ExpectedRevenue = decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture) }, "expectedRevenue");

    [Fact]
    public void Fifty_tags_are_allowed_and_fifty_one_are_not()
    {
        Validate(new LeadInput { Tags = [.. Enumerable.Range(0, 50).Select(i => $"t{i}")] }).IsEmpty.Should().BeTrue();
        ShouldFailOnlyOn(new LeadInput { Tags = [.. Enumerable.Range(0, 51).Select(i => $"t{i}")] }, "tags");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    [InlineData("nul\u0000")]
    public void Blank_tags_and_tags_with_control_characters_are_errors(string tag) => ShouldFailOnlyOn(new LeadInput { Tags = [tag] }, "tags");

    [Fact]
    public void A_tag_may_be_64_characters_but_not_65()
    {
        Validate(new LeadInput { Tags = [new string('t', 64)] }).IsEmpty.Should().BeTrue();
        ShouldFailOnlyOn(new LeadInput { Tags = [new string('t', 65)] }, "tags");
    }

    public static TheoryData<string, int> TextLimits => new()
    {
        { "name", 256 },
        { "contactName", 256 },
        { "companyName", 256 },
        { "street", 256 },
        { "city", 256 },
        { "zip", 256 },
        { "state", 256 },
        { "country", 256 },
        { "source", 256 },
        { "medium", 256 },
        { "campaign", 256 },
        { "description", 16_000 },
    };

    [Theory]
    [MemberData(nameof(TextLimits))]
    public void Text_fields_accept_their_limit_and_refuse_one_character_more(string field, int limit)
    {
        Validate(With(field, new string('x', limit))).IsEmpty.Should().BeTrue();
        ShouldFailOnlyOn(With(field, new string('x', limit + 1)), field);
    }

    [Fact]
    public void An_email_over_254_characters_is_an_error()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 60), 4)) + ".test";
        email.Length.Should().BeGreaterThan(254);
        Validate(new LeadInput { Email = email }).For("email").Should().Contain("must be at most 254 characters");
    }

    [Fact]
    public void A_website_may_be_2048_characters_but_not_2049()
    {
        const string prefix = "https://acme.test/";
        Validate(new LeadInput { Website = prefix + new string('p', 2048 - prefix.Length) }).IsEmpty.Should().BeTrue();
        ShouldFailOnlyOn(new LeadInput { Website = prefix + new string('p', 2049 - prefix.Length) }, "website");
    }

    [Theory]
    [MemberData(nameof(TextLimits))]
    public void A_control_character_in_a_text_field_is_an_error(string field, int limit)
    {
        _ = limit;
        ShouldFailOnlyOn(With(field, "bad\u0001value"), field);
        ShouldFailOnlyOn(With(field, "bad\u007Fvalue"), field);
        ShouldFailOnlyOn(With(field, "bad\u009Bvalue"), field);
        ShouldFailOnlyOn(With(field, "lone \uD800 surrogate"), field);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("contactName")]
    [InlineData("city")]
    [InlineData("campaign")]
    public void Line_breaks_and_tabs_are_control_characters_outside_the_description(string field)
    {
        ShouldFailOnlyOn(With(field, "two\nlines"), field);
        ShouldFailOnlyOn(With(field, "a\ttab"), field);
        ShouldFailOnlyOn(With(field, "a\rreturn"), field);
    }

    [Fact]
    public void The_description_allows_line_breaks_and_tabs_and_emoji_but_no_other_control_character()
    {
        Validate(new LeadInput { Description = "a\r\nb\tc 🚀 é" }).IsEmpty.Should().BeTrue();
        ShouldFailOnlyOn(new LeadInput { Description = "a\u0000b" }, "description");
        ShouldFailOnlyOn(new LeadInput { Description = "a\u001Bb" }, "description");
    }

    [Theory]
    [InlineData("phone", "415\u0000 555 2671")]
    [InlineData("email", "ann@acme.test\u0001")]
    [InlineData("website", "acme.test\u0001")]
    public void Control_characters_in_contact_fields_are_errors(string field, string value) =>
        Validate(With(field, value)).Contains(field).Should().BeTrue();

    [Theory]
    [InlineData("userId")]
    [InlineData("teamId")]
    [InlineData("customerId")]
    public void Ids_must_be_well_formed_when_given(string field)
    {
        ShouldFailOnlyOn(With(field, "not-an-id"), field);
        ShouldFailOnlyOn(With(field, "01arz3ndektsv4rrffq69g5fav"), field);
        Validate(With(field, "01ARZ3NDEKTSV4RRFFQ69G5FAV")).IsEmpty.Should().BeTrue();
        Validate(With(field, null)).IsEmpty.Should().BeTrue();
    }

    [Theory]
    [InlineData("acme.test")]
    [InlineData("www.acme-corp.test")]
    [InlineData("acme.test/contact")]
    [InlineData("https://acme.test")]
    [InlineData("http://acme.test/path?q=1#top")]
    [InlineData("HTTPS://ACME.TEST")]
    [InlineData("https://acme.test:8443/")]
    public void Websites_are_http_urls_or_bare_host_names(string website) =>
        Validate(new LeadInput { Website = website }).IsEmpty.Should().BeTrue();

    [Theory]
    [InlineData("acme")]
    [InlineData("localhost")]
    [InlineData("ftp://acme.test")]
    [InlineData("javascript:alert(1)")]
    [InlineData("mailto:ann@acme.test")]
    [InlineData("https://user:pass@acme.test")]
    [InlineData("https://10.0.0.1/")]
    [InlineData("acme test.com")]
    [InlineData("https://")]
    [InlineData("//acme.test")]
    [InlineData("acme.test.")]
    public void Other_websites_are_errors(string website) => ShouldFailOnlyOn(new LeadInput { Website = website }, "website");

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var input = new LeadInput { Email = "x", Phone = "1", Priority = 9, Probability = -3, TeamId = "t", Website = "ftp://a.test", Tags = [""] };
        Validate(input, requireContact: true).Fields.Should().BeEquivalentTo("email", "phone", "priority", "probability", "teamId", "website", "tags");
    }

    private static LeadInput With(string field, string? value)
    {
        var input = new LeadInput();
        var property = typeof(LeadInput).GetProperties().Single(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        property.SetValue(input, value);
        return input;
    }
}
