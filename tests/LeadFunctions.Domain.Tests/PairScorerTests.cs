using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

/// <summary>
/// One pair per variation real forms produce (a true duplicate: similar) and per hard negative
/// (other people: not similar), through the keys, the score and the rules together.
/// </summary>
public sealed class PairScorerTests
{
    private static readonly PhoneNumbers Phones = new("US");
    private readonly MatchKeys keys = new(Phones);
    private readonly PairScorer scorer = new(Phones);

    private static readonly Lead Ann = new()
    {
        ContactName = "Ann-Sophie Lefèvre", Email = "ann-sophie.lefevre@kuhn-boehm.fr", Phone = "+33 6 12 34 56 78",
        CompanyName = "Kuhn, Boehm et Kling SARL", Country = "FR",
    };

    private (IReadOnlyList<MatchRule> On, PairScore Score) Judge(Lead a, Lead b)
    {
        var score = scorer.Score(a, b);
        var (ka, kb) = (keys.Of(a, null), keys.Of(b, null));
        score.Should().BeEquivalentTo(scorer.Score(b, a), "a pair scores the same whichever record is checked");
        return (Similarity.MatchedOn(ka, kb, new DuplicateRules(), _ => false, score), score);
    }

    private static Lead Like(Lead lead, Action<Lead> change)
    {
        var copy = new Lead { ContactName = lead.ContactName, Email = lead.Email, Phone = lead.Phone, CompanyName = lead.CompanyName, Country = lead.Country };
        change(copy);
        return copy;
    }

    public static TheoryData<string, Action<Lead>> Variations => new()
    {
        { "case", l => { l.ContactName = "ANN-SOPHIE LEFÈVRE"; l.Email = "Ann-Sophie.Lefevre@KUHN-BOEHM.FR"; } },
        { "accents dropped, no email", l => { l.ContactName = "Ann-Sophie Lefevre"; l.Email = null; } },
        { "nickname, personal email", l => { l.ContactName = "Annie Lefèvre"; l.Email = "annie.lefevre77@gmail.com"; } },
        { "initial, new address at the company", l => { l.ContactName = "A. Lefèvre"; l.Email = "alefevre@kuhn-boehm.fr"; l.Phone = null; } },
        { "typo, personal email", l => { l.ContactName = "Ann-Sophie Lefèvte"; l.Email = "as.lefevre@orange.fr"; } },
        { "swapped names, no email", l => { l.ContactName = "Lefèvre, Ann-Sophie"; l.Email = null; } },
        { "company suffix and abbreviation, personal email", l => { l.CompanyName = "KUHN-BOEHM & KLING"; l.Email = "lefevre.as@free.fr"; l.Phone = null; } },
        { "phone formats, no email", l => { l.Phone = "06 12 34 56 78"; l.Email = null; } },
        { "phone without prefix, country by name", l => { l.Phone = "0612345678"; l.Country = "France"; l.Email = null; } },
        { "two digits transposed, no email", l => { l.Phone = "+33 6 12 34 65 78"; l.Email = null; } },
        { "the company's other domain", l => { l.Email = "ann-sophie.lefevre@kuhnboehm.fr"; l.Phone = null; } },
        { "gmail dots and a tag", l => { l.Email = "annsophielefevre+crm@gmail.com"; } },
    };

    [Theory]
    [MemberData(nameof(Variations))]
    public void A_true_duplicate_written_otherwise_is_similar(string variation, Action<Lead> change)
    {
        var (on, score) = Judge(Ann, Like(Ann, change));
        score.Points.Should().BeGreaterThanOrEqualTo(PairScore.Threshold, variation);
        on.Should().NotBeEmpty(variation);
        score.Reasons.Should().NotBeEmpty();
    }

    [Fact]
    public void Gmail_dots_and_tags_are_one_mailbox()
    {
        var a = new Lead { ContactName = "Ann Lee", Email = "ann.lee@gmail.com" };
        var (on, score) = Judge(a, Like(a, l => l.Email = "annlee+news@googlemail.com"));
        on.Should().Equal(MatchRule.EmailAlias, MatchRule.ContactName);
        score.Reasons.Should().Contain("same mailbox (the provider ignores dots and +tags)");
    }

    public static TheoryData<string, Lead> HardNegatives => new()
    {
        { "a namesake at another company", Like(Ann, l => { l.Email = "as.lefevre@dupont-industries.fr"; l.Phone = "+33 6 98 76 54 32"; l.CompanyName = "Dupont Industries"; }) },
        { "a namesake on free mail elsewhere", Like(Ann, l => { l.Email = "lefevre.annsophie@gmail.com"; l.Phone = null; l.CompanyName = null; l.Country = "BE"; }) },
        { "a colleague", Like(Ann, l => { l.ContactName = "Pierre Martin"; l.Email = "pierre.martin@kuhn-boehm.fr"; l.Phone = null; }) },
        { "a colleague sharing the switchboard", Like(Ann, l => { l.ContactName = "Luc Girard"; l.Email = "luc.girard@kuhn-boehm.fr"; }) },
        { "a family member sharing the phone", Like(Ann, l => { l.ContactName = "Marc Lefèvre"; l.Email = "marc.lefevre@orange.fr"; l.CompanyName = null; }) },
        { "another person at the same free-mail provider", new Lead { ContactName = "Ann Lefort", Email = "ann.lefort@gmail.com" } },
    };

    [Theory]
    [MemberData(nameof(HardNegatives))]
    public void Another_person_who_looks_alike_is_not_similar(string kind, Lead other)
    {
        var (on, score) = Judge(Ann, other);
        on.Should().BeEmpty(kind);
        score.Points.Should().BeLessThan(PairScore.Threshold, kind);
    }

    [Fact]
    public void Relatives_on_one_phone_whose_first_names_are_one_name_in_two_genders_are_not_similar()
    {
        var maria = new Lead { ContactName = "Maria Garcia", Phone = "+34 612 34 56 78", Email = "maria.garcia@gmail.com" };
        var (on, _) = Judge(maria, new Lead { ContactName = "Mario Garcia", Phone = "612 345 678", Country = "ES", Email = "mgarcia@yahoo.es" });
        on.Should().BeEmpty();
    }

    [Fact]
    public void Phone_numbers_count_as_a_swap_only_when_two_neighbouring_digits_changed_places()
    {
        var a = new Lead { ContactName = "Ann Quaglieri", Phone = "+32 470 12 34 56" };
        scorer.Score(a, Like(a, l => l.Phone = "+32 470 12 43 56")).Reasons.Should().Contain("phone numbers alike but for two digits in another order");
        scorer.Score(a, Like(a, l => l.Phone = "+32 470 65 43 21")).Reasons.Should().Contain("different phone numbers", "the same digits in another order are another number");
    }

    [Fact]
    public void The_same_email_counts_whatever_else_differs_and_the_reasons_say_why_without_quoting_values()
    {
        var (on, score) = Judge(Ann, new Lead { ContactName = "Office Kuhn", Email = Ann.Email });
        on.Should().Contain(MatchRule.Email);
        score.Reasons.Should().Contain("same email address").And.Contain("different names");
        score.Reasons.Should().NotContain(r => r.Contains("lefevre", StringComparison.OrdinalIgnoreCase) || r.Contains('@'));
    }

    [Fact]
    public void A_frequent_family_name_counts_a_point_less()
    {
        var smith = scorer.Score(new Lead { ContactName = "Ann Smith" }, new Lead { ContactName = "Ann Smith" });
        var rare = scorer.Score(new Lead { ContactName = "Ann Quaglieri" }, new Lead { ContactName = "Ann Quaglieri" });
        smith.Points.Should().Be(rare.Points - 1);
        smith.Reasons.Should().Contain("a frequent family name, which counts less");
    }

    [Fact]
    public void The_keys_of_a_transposed_phone_a_hyphenated_domain_and_a_reordered_company_meet()
    {
        var a = keys.Of(Ann, null);
        keys.Of(Like(Ann, l => l.Phone = "+33 6 12 34 65 78"), null).Intersect(a).Should().Contain(k => k.Rule == MatchRule.Phone);
        keys.Of(Like(Ann, l => l.Email = "x@kuhnboehm.fr"), null).Should().Contain(new MatchKey(MatchRule.Domain, "kuhnboehm.fr")).And.Contain(a.Single(k => k.Rule == MatchRule.Domain));
        keys.Of(Like(Ann, l => l.CompanyName = "Boehm & Kling, Kuhn"), null).Single(k => k.Rule == MatchRule.CompanyName)
            .Should().Be(a.Single(k => k.Rule == MatchRule.CompanyName));
        MatchKeys.Transposable("+33612345678").Should().Be("+33612*345678");
    }
}
