using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

public sealed class SimilarityTests
{
    private const string AcmeCustomer = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    private const string AcmeCompany = "01ARZ3NDEKTSV4RRFFQ69G5FAX";
    private static readonly Func<MatchKey, bool> NoneCrowded = _ => false;
    private static readonly PairScore Sure = new(20, []);
    private readonly MatchKeys keys = new(new PhoneNumbers("US"));
    private readonly PairScorer scorer = new(new PhoneNumbers("US"));

    private IReadOnlyList<MatchRule> Match(Lead a, Lead b, DuplicateRules? rules = null, Func<MatchKey, bool>? crowded = null,
        string? companyA = null, string? companyB = null) =>
        Similarity.MatchedOn(keys.Of(a, companyA), keys.Of(b, companyB), rules ?? new DuplicateRules(), crowded ?? NoneCrowded, scorer.Score(a, b));

    [Fact]
    public void Two_people_at_one_company_domain_are_colleagues_not_duplicates()
    {
        var ann = new Lead { Email = "ann.lee@acme-corp.test", ContactName = "Ann Lee" };
        var bob = new Lead { Email = "Bob <bob.ray@ACME-CORP.test>", ContactName = "Bob Ray" };
        Match(ann, bob).Should().BeEmpty();
        Match(ann, new Lead { Email = "a.lee@acmecorp.test", ContactName = "ANN LEE" }).Should().Equal([MatchRule.Domain, MatchRule.ContactName],
            "one person's other address at the company, hyphen or not");
    }

    [Fact]
    public void A_domain_alone_is_too_little_to_call_two_records_one_person()
    {
        Match(new Lead { Email = "ann.lee@acme-corp.test" }, new Lead { Email = "lee@acme-corp.test" }).Should().BeEmpty();
    }

    [Fact]
    public void Two_strangers_at_gmail_do_not_match_at_all()
    {
        var ann = new Lead { Email = "ann.lee@gmail.com" };
        var bob = new Lead { Email = "bob.ray@gmail.com" };
        Match(ann, bob).Should().BeEmpty();
    }

    [Fact]
    public void The_same_address_written_differently_matches_on_email_and_domain()
    {
        var a = new Lead { Email = "Ann.Lee@Acme-Corp.test" };
        var b = new Lead { Email = "\"Ann L\" <ann.lee@acme-corp.test>" };
        Match(a, b).Should().Equal(MatchRule.Email, MatchRule.Domain);
    }

    [Fact]
    public void Gmail_dot_and_plus_variants_match_on_email_alias_only()
    {
        var a = new Lead { Email = "a.n.n+news@googlemail.com" };
        var b = new Lead { Email = "ann@gmail.com" };
        Match(a, b).Should().Equal(MatchRule.EmailAlias);
    }

    [Fact]
    public void An_identical_gmail_address_reports_email_but_not_the_redundant_alias()
    {
        var a = new Lead { Email = "ann@gmail.com" };
        var b = new Lead { Email = "ANN@gmail.com" };
        Match(a, b).Should().Equal(MatchRule.Email);
    }

    [Fact]
    public void With_the_email_rule_off_an_identical_gmail_address_still_matches_on_email_alias()
    {
        var a = new Lead { Email = "ann@gmail.com" };
        var b = new Lead { Email = "ann@gmail.com" };
        Match(a, b, new DuplicateRules { Email = false }).Should().Equal(MatchRule.EmailAlias);
    }

    [Fact]
    public void One_phone_in_two_formats_matches_on_phone_when_the_names_agree()
    {
        var a = new Lead { Phone = "+1 (415) 555-2671", Email = "ann@gmail.com", ContactName = "Ann Lee" };
        var b = new Lead { Phone = "415.555.2671", Email = "a.lee@yahoo.com", ContactName = "A. Lee" };
        Match(a, b).Should().Equal([MatchRule.Phone], "a name this short is compared, but has no key of its own");
    }

    [Fact]
    public void A_phone_shared_by_relatives_or_a_switchboard_is_not_one_person()
    {
        var ann = new Lead { Phone = "+1 (415) 555-2671", Email = "ann@gmail.com", ContactName = "Ann Lee" };
        Match(ann, new Lead { Phone = "415.555.2671", Email = "bob@yahoo.com", ContactName = "Bob Lee" }).Should().BeEmpty();
        Match(ann, new Lead { Phone = "415.555.2671", Email = "bob@yahoo.com" }).Should().BeEmpty("a number alone is a household's or a switchboard's as often as a person's");
    }

    [Fact]
    public void Records_linked_to_one_customer_match_on_customer()
    {
        var a = new Lead { Name = "Deal one", CustomerId = AcmeCustomer };
        var b = new Lead { Name = "Deal two", CustomerId = AcmeCustomer };
        Match(a, b).Should().Equal(MatchRule.Customer);
        Match(a, b, companyA: AcmeCompany, companyB: AcmeCompany).Should().Equal([MatchRule.Customer], "the same person says more than colleagues");
        Match(a, new Lead { Name = "Deal two", CustomerId = "01ARZ3NDEKTSV4RRFFQ69G5FAW" }).Should().BeEmpty();
        Match(a, new Lead { Name = "Deal two" }).Should().BeEmpty();
    }

    [Fact]
    public void Colleagues_linked_to_people_of_one_company_match_on_company_not_customer()
    {
        var amy = new Lead { Name = "Amy's deal", CustomerId = "01ARZ3NDEKTSV4RRFFQ69G5FB1" };
        var bob = new Lead { Name = "Bob's deal", CustomerId = "01ARZ3NDEKTSV4RRFFQ69G5FB2" };
        var company = new Lead { Name = "Company deal", CustomerId = AcmeCompany };

        Match(amy, bob, companyA: AcmeCompany, companyB: AcmeCompany).Should().Equal(MatchRule.Company);
        Match(amy, company, companyA: AcmeCompany, companyB: AcmeCompany).Should().Equal(MatchRule.Company);
        Match(amy, bob, new DuplicateRules { Company = false }, companyA: AcmeCompany, companyB: AcmeCompany).Should().BeEmpty();
    }

    [Fact]
    public void Every_rule_together_is_reported_in_enum_order()
    {
        var a = new Lead { Email = "ann@acme-corp.test", Phone = "415.555.2671", CustomerId = AcmeCustomer, CompanyName = "Acme Rockets Corporation", ContactName = "Ann Lee-Wong" };
        var b = new Lead { Email = "Ann@Acme-Corp.test", Phone = "+14155552671", CustomerId = AcmeCustomer, CompanyName = "ACME rockets Corporation Ltd.", ContactName = "ann lee wong" };
        Match(a, b).Should().Equal(MatchRule.Email, MatchRule.Phone, MatchRule.Domain, MatchRule.Customer, MatchRule.CompanyName, MatchRule.ContactName);
    }

    [Fact]
    public void A_crowded_domain_stops_counting_but_other_rules_still_do()
    {
        var a = new Lead { Email = "ann@bigcorp.test", Phone = "415.555.2671" };
        var b = new Lead { Email = "bob@bigcorp.test", Phone = "415 555 2671" };
        Match(a, b, crowded: k => k.Value == "bigcorp.test").Should().Equal(MatchRule.Phone);
        Match(a, b, crowded: k => k.Value == "other.test").Should().Equal(MatchRule.Phone, MatchRule.Domain);
    }

    [Fact]
    public void A_crowded_company_or_contact_name_stops_counting_too()
    {
        var a = new Lead { CompanyName = "Globex Industries, Inc.", ContactName = "Jean-Luc Picard" };
        var b = new Lead { CompanyName = "GLOBEX industries", ContactName = "jean luc PICARD" };

        Match(a, b).Should().Equal(MatchRule.CompanyName, MatchRule.ContactName);
        Match(a, b, crowded: k => k.Rule == MatchRule.CompanyName).Should().Equal(MatchRule.ContactName);
        Match(a, b, crowded: k => k.Rule == MatchRule.ContactName).Should().Equal(MatchRule.CompanyName);
        Similarity.Crowds(MatchRule.Email).Should().BeFalse("an email shared by many is still one person");
    }

    [Theory]
    [InlineData(20, false)]
    [InlineData(21, true)]
    [InlineData(500, true)]
    public void A_domain_is_crowded_from_21_records(int records, bool crowded)
    {
        Similarity.CrowdedDomainThreshold.Should().Be(21);
        Similarity.IsCrowded(records).Should().Be(crowded);
    }

    [Theory]
    [InlineData(MatchRule.Email)]
    [InlineData(MatchRule.EmailAlias)]
    [InlineData(MatchRule.Phone)]
    [InlineData(MatchRule.Domain)]
    [InlineData(MatchRule.Customer)]
    [InlineData(MatchRule.Company)]
    [InlineData(MatchRule.CompanyName)]
    [InlineData(MatchRule.ContactName)]
    public void A_rule_switched_off_in_settings_is_not_reported(MatchRule off)
    {
        var subject = AllKeys("ann@acme-corp.test");
        var candidate = AllKeys("ann@acme-corp.test");
        var rules = new DuplicateRules
        {
            Email = off != MatchRule.Email,
            EmailAlias = off != MatchRule.EmailAlias,
            Phone = off != MatchRule.Phone,
            Domain = off != MatchRule.Domain,
            Customer = off != MatchRule.Customer,
            Company = off != MatchRule.Company,
            CompanyName = off != MatchRule.CompanyName,
            ContactName = off != MatchRule.ContactName,
        };
        var matched = Similarity.MatchedOn(subject, candidate, rules, NoneCrowded, Sure);
        // Equal emails make the alias redundant unless the email rule itself is off; the same customer, the company.
        var expected = Enum.GetValues<MatchRule>().Where(r => r != off
            && (r != MatchRule.EmailAlias || off == MatchRule.Email)
            && (r != MatchRule.Company || off == MatchRule.Customer));
        matched.Should().Equal(expected);
    }

    [Fact]
    public void With_every_rule_off_nothing_matches()
    {
        var rules = new DuplicateRules { Email = false, EmailAlias = false, Phone = false, Domain = false, Customer = false, Company = false, CompanyName = false, ContactName = false };
        Similarity.MatchedOn(AllKeys("x@acme.test"), AllKeys("x@acme.test"), rules, NoneCrowded, Sure).Should().BeEmpty();
    }

    [Fact]
    public void Records_without_keys_match_nothing()
    {
        Similarity.MatchedOn([], [], new DuplicateRules(), NoneCrowded, Sure).Should().BeEmpty();
        Similarity.MatchedOn(AllKeys("x@acme.test"), [], new DuplicateRules(), NoneCrowded, Sure).Should().BeEmpty();
    }

    [Fact]
    public void Values_of_different_rules_never_match_each_other()
    {
        MatchKey[] subject = [new(MatchRule.Customer, "X")];
        MatchKey[] candidate = [new(MatchRule.Domain, "X")];
        Similarity.MatchedOn(subject, candidate, new DuplicateRules(), NoneCrowded, Sure).Should().BeEmpty();
    }

    [Fact]
    public void Rules_that_only_make_candidates_count_from_the_threshold_and_links_count_on_their_own()
    {
        var (subject, candidate) = (AllKeys("ann@acme-corp.test"), AllKeys("ann@acme-corp.test"));
        Similarity.MatchedOn(subject, candidate, new DuplicateRules(), NoneCrowded, new PairScore(PairScore.Threshold, []))
            .Should().Equal(MatchRule.Email, MatchRule.Phone, MatchRule.Domain, MatchRule.Customer, MatchRule.CompanyName, MatchRule.ContactName);
        Similarity.MatchedOn(subject, candidate, new DuplicateRules(), NoneCrowded, new PairScore(PairScore.Threshold - 1, []))
            .Should().Equal(MatchRule.Email, MatchRule.Customer);
        Similarity.MatchedOn(subject, candidate, new DuplicateRules { Email = false, Customer = false }, NoneCrowded, new PairScore(-30, []))
            .Should().Equal(MatchRule.EmailAlias, MatchRule.Company);
    }

    // Identical key sets on every rule, with the email and its alias differing as for a plus variant.
    private static MatchKey[] AllKeys(string email) =>
    [
        new(MatchRule.Email, email),
        new(MatchRule.EmailAlias, "ann@gmail.com"),
        new(MatchRule.Phone, "+14155552671"),
        new(MatchRule.Domain, "acme-corp.test"),
        new(MatchRule.Customer, AcmeCustomer),
        new(MatchRule.Company, AcmeCompany),
        new(MatchRule.CompanyName, "acme corporation"),
        new(MatchRule.ContactName, "ann lee"),
    ];
}
