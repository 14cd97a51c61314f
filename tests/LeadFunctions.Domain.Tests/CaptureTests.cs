using System.Text.Json;
using LeadFunctions.Domain.Capture;
using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

public sealed class CaptureTests
{
    private static readonly PhoneNumbers Phones = new("US");

    private static CaptureInput Form() => new()
    {
        Name = "Quote request",
        ContactName = "Ann Lee",
        Email = "ann.lee@acme-corp.test",
        Phone = "415.555.2671",
        CompanyName = "Acme Corp",
        Website = "acme-corp.test",
        Message = "Please call me.\nThanks",
        Source = "website",
        Medium = "form",
        Campaign = "spring",
        TeamId = "01ARZ3NDEKTSV4RRFFQ69G5FAW",
        Tags = ["web", "quote"],
    };

    [Fact]
    public void The_form_becomes_a_lead_input_with_the_message_as_description()
    {
        var input = Form().ToLeadInput();
        input.Description.Should().Be("Please call me.\nThanks");
        input.Should().BeEquivalentTo(new
        {
            Name = "Quote request", ContactName = "Ann Lee", Email = "ann.lee@acme-corp.test", Phone = "415.555.2671",
            CompanyName = "Acme Corp", Website = "acme-corp.test", Source = "website", Medium = "form", Campaign = "spring",
            TeamId = "01ARZ3NDEKTSV4RRFFQ69G5FAW", Tags = new[] { "web", "quote" },
        });
        input.Type.Should().BeNull();
        input.UserId.Should().BeNull();
        input.CustomerId.Should().BeNull();
    }

    [Fact]
    public void The_consent_boxes_go_onto_the_lead_input()
    {
        var form = Form();
        form.EmailOptOut = true;
        form.DoNotContact = false;

        var input = form.ToLeadInput();

        (input.EmailOptOut, input.PhoneOptOut, input.DoNotContact).Should().Be((true, (bool?)null, false));
    }

    [Fact]
    public void A_ticked_consent_box_changes_the_fingerprint_and_unticked_ones_do_not()
    {
        var before = Form().ContentFingerprint("ann.lee@acme-corp.test");
        var unticked = Form();
        (unticked.EmailOptOut, unticked.PhoneOptOut, unticked.DoNotContact) = (false, false, false);
        unticked.ContentFingerprint("ann.lee@acme-corp.test").Should().Be(before, "a form without the boxes keeps its fingerprint");

        var fingerprints = new[] { before }.Concat(new Action<CaptureInput>[] { f => f.EmailOptOut = true, f => f.PhoneOptOut = true, f => f.DoNotContact = true }
            .Select(tick =>
            {
                var form = Form();
                tick(form);
                return form.ContentFingerprint("ann.lee@acme-corp.test");
            }));
        fingerprints.Should().OnlyHaveUniqueItems("a repeat that opts out is a new capture, not a dropped one");
    }

    [Fact]
    public void The_honeypot_and_redirect_use_their_underscore_form_names()
    {
        var form = JsonSerializer.Deserialize<CaptureInput>("""{"email":"a@b.test","_hp":"bot","_redirect":"https://acme.test/thanks"}""", JsonDefaults.Options)!;
        form.Honeypot.Should().Be("bot");
        form.Redirect.Should().Be("https://acme.test/thanks");
        form.IsHoneypotFilled.Should().BeTrue();
        new CaptureInput { Honeypot = " " }.IsHoneypotFilled.Should().BeFalse();
    }

    [Fact]
    public void The_contact_is_the_normalized_email_else_the_E164_phone()
    {
        new CaptureInput { Email = "Ann <ANN@acme.test>", Phone = "415.555.2671" }.NormalizedContact(Phones).Should().Be("ann@acme.test");
        new CaptureInput { Phone = "415.555.2671" }.NormalizedContact(Phones).Should().Be("+14155552671");
        new CaptureInput { Email = "nope" }.NormalizedContact(Phones).Should().BeNull();
    }

    [Fact]
    public void The_same_contact_with_the_same_content_gives_the_same_fingerprint()
    {
        var first = Form();
        var again = Form();
        again.Email = "\"Ann L\" <Ann.Lee@ACME-CORP.test>";
        again.Name = "  Quote request ";
        again.Tags = ["quote", "web"];
        again.Honeypot = "ignored";
        again.Redirect = "https://acme.test/thanks";

        var a = first.ContentFingerprint(first.NormalizedContact(Phones)!);
        var b = again.ContentFingerprint(again.NormalizedContact(Phones)!);

        b.Should().Be(a);
        a.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    public static TheoryData<string> ContentFields =>
        ["Name", "ContactName", "Phone", "CompanyName", "Website", "Message", "Source", "Medium", "Campaign", "TeamId"];

    [Theory]
    [MemberData(nameof(ContentFields))]
    public void Changing_any_content_field_changes_the_fingerprint(string field)
    {
        var form = Form();
        var before = form.ContentFingerprint("ann.lee@acme-corp.test");
        var property = typeof(CaptureInput).GetProperty(field)!;
        property.SetValue(form, property.GetValue(form) + "!");
        form.ContentFingerprint("ann.lee@acme-corp.test").Should().NotBe(before);
        property.SetValue(form, null);
        form.ContentFingerprint("ann.lee@acme-corp.test").Should().NotBe(before);
    }

    [Fact]
    public void Changing_the_contact_or_the_tags_changes_the_fingerprint()
    {
        var form = Form();
        var before = form.ContentFingerprint("ann.lee@acme-corp.test");
        form.ContentFingerprint("bob@acme-corp.test").Should().NotBe(before);
        form.Tags = ["web"];
        form.ContentFingerprint("ann.lee@acme-corp.test").Should().NotBe(before);
        form.Tags = ["web", "quote", "more"];
        form.ContentFingerprint("ann.lee@acme-corp.test").Should().NotBe(before);
    }

    [Fact]
    public void Text_moved_from_one_field_to_the_next_changes_the_fingerprint()
    {
        var a = new CaptureInput { Name = "Ann|", ContactName = "Lee" };
        var b = new CaptureInput { Name = "Ann", ContactName = "|Lee" };
        var c = new CaptureInput { Name = "Ann|3:Lee" };
        a.ContentFingerprint("x").Should().NotBe(b.ContentFingerprint("x")).And.NotBe(c.ContentFingerprint("x"));
        new CaptureInput { Tags = ["a,b"] }.ContentFingerprint("x").Should().NotBe(new CaptureInput { Tags = ["a", "b"] }.ContentFingerprint("x"));
        new CaptureInput { Tags = [] }.ContentFingerprint("x").Should().NotBe(new CaptureInput { Tags = [""] }.ContentFingerprint("x"));
    }

    [Fact]
    public void A_valid_form_passes_and_one_without_contact_fails_on_email()
    {
        CaptureValidator.Validate(Form(), Phones).IsEmpty.Should().BeTrue();
        CaptureValidator.Validate(new CaptureInput { Phone = "415.555.2671" }, Phones).IsEmpty.Should().BeTrue();
        CaptureValidator.Validate(new CaptureInput { Name = "x" }, Phones).Fields.Should().Equal("email");
    }

    [Fact]
    public void Message_problems_are_reported_on_message_not_description()
    {
        var form = new CaptureInput { Email = "ann@acme.test", Message = new string('m', 16_001) };
        var errors = CaptureValidator.Validate(form, Phones);
        errors.Fields.Should().Equal("message");
        errors.For("message").Should().Contain("must be at most 16000 characters");

        form.Message = new string('m', 16_000);
        CaptureValidator.Validate(form, Phones).IsEmpty.Should().BeTrue();
        form.Message = "bell\u0007";
        CaptureValidator.Validate(form, Phones).Fields.Should().Equal("message");
    }

    [Fact]
    public void The_lead_rules_apply_to_the_other_form_fields()
    {
        var form = new CaptureInput { Email = "bad", Phone = "12", Website = "ftp://x.test", TeamId = "team", Tags = [new string('t', 65)] };
        CaptureValidator.Validate(form, Phones).Fields.Should().BeEquivalentTo("email", "phone", "website", "teamId", "tags");
    }
}
