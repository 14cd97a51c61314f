using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

public sealed class MatchKeysTests
{
    private readonly MatchKeys keys = new(new PhoneNumbers("US"));

    [Fact]
    public void A_company_contact_has_every_key_in_rule_order()
    {
        var lead = new Lead
        {
            Email = "\"Ann L\" <Ann.Lee@Acme-Corp.test>",
            Phone = "415.555.2671",
            CustomerId = "01ARZ3NDEKTSV4RRFFQ69G5FAW",
            CompanyName = "Acme Rockets, Inc.",
            ContactName = "Ann Lee",
        };
        keys.Of(lead, "01ARZ3NDEKTSV4RRFFQ69G5FAV").Should().Equal(
            new MatchKey(MatchRule.Email, "ann.lee@acme-corp.test"),
            new MatchKey(MatchRule.Phone, "+14155552671"),
            new MatchKey(MatchRule.Phone, "+14155*125567"),
            new MatchKey(MatchRule.Domain, "acmecorp.test"),
            new MatchKey(MatchRule.Customer, "01ARZ3NDEKTSV4RRFFQ69G5FAW"),
            new MatchKey(MatchRule.Company, "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
            new MatchKey(MatchRule.CompanyName, "acme rockets"),
            new MatchKey(MatchRule.ContactName, "s:4 a5"));
    }

    [Fact]
    public void A_gmail_contact_has_an_alias_key_and_no_domain_key()
    {
        var lead = new Lead { Email = "A.N.N+news@googlemail.com" };
        keys.Of(lead, null).Should().Equal(
            new MatchKey(MatchRule.Email, "a.n.n+news@googlemail.com"),
            new MatchKey(MatchRule.EmailAlias, "ann@gmail.com"));
    }

    [Fact]
    public void Keys_never_alter_the_stored_values()
    {
        var lead = new Lead { Email = "\"Ann L\" <Ann.Lee@Acme-Corp.test>", Phone = "+1 (415) 555-2671" };
        _ = keys.Of(lead, null);
        lead.Email.Should().Be("\"Ann L\" <Ann.Lee@Acme-Corp.test>");
        lead.Phone.Should().Be("+1 (415) 555-2671");
    }

    [Fact]
    public void Empty_and_invalid_values_give_no_keys()
    {
        keys.Of(new Lead(), null).Should().BeEmpty();
        keys.Of(new Lead { Email = "", Phone = " " }, " ").Should().BeEmpty();
        keys.Of(new Lead { Email = "not an email", Phone = "12345" }, "").Should().BeEmpty();
    }

    [Theory]
    [InlineData(LeadStatus.Active)]
    [InlineData(LeadStatus.Lost)]
    public void Active_and_lost_records_have_keys(LeadStatus status)
    {
        var lead = new Lead { Status = status, Email = "ann@acme-corp.test", Phone = "415.555.2671" };
        keys.Of(lead, "01ARZ3NDEKTSV4RRFFQ69G5FAV").Should().HaveCount(5, "email, phone and its transposable form, domain, company");
    }

    [Fact]
    public void Merged_records_have_no_keys()
    {
        var lead = new Lead { Status = LeadStatus.Merged, Email = "a.nn@gmail.com", Phone = "415.555.2671" };
        keys.Of(lead, "01ARZ3NDEKTSV4RRFFQ69G5FAV").Should().BeEmpty();
    }
}
