using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Accuracy.Tests;

/// <summary>The labelled set is only worth its labels: each is checked against what the records say.</summary>
public sealed class LabelledGeneratorTests
{
    private static readonly IReadOnlyList<LabelledRecord> Records = LabelledGenerator.Generate(1_000);
    private static readonly PhoneNumbers Phones = new("US");

    private static Dictionary<int, LabelledRecord> FirstOfCluster() =>
        Records.Where(r => !r.IsVariant && r.Negative is null).GroupBy(r => r.Cluster).ToDictionary(g => g.Key, g => g.Single());

    [Fact]
    public void The_same_seed_and_size_make_the_same_records_and_another_seed_other_ones()
    {
        static string Text(IEnumerable<LabelledRecord> records) => string.Join('\n', records.Select(r => $"{r} {string.Join(',', r.Variations)}"));

        Text(LabelledGenerator.Generate(1_000)).Should().Be(Text(Records));
        Text(LabelledGenerator.Generate(1_000, seed: 30)).Should().NotBe(Text(Records));
    }

    [Fact]
    public void Every_variation_and_every_hard_negative_is_in_a_set_of_a_thousand()
    {
        Records.Should().HaveCount(1_000);
        Records.Select(r => r.Index).Should().Equal(Enumerable.Range(0, 1_000));
        Records.SelectMany(r => r.Variations).Distinct().Should().BeEquivalentTo(Enum.GetValues<Variation>());
        Records.Select(r => r.Negative).OfType<HardNegative>().Distinct().Should().BeEquivalentTo(Enum.GetValues<HardNegative>());
    }

    [Fact]
    public void Every_record_is_one_the_api_takes_with_an_email_or_a_phone_it_can_read()
    {
        foreach (var r in Records)
        {
            r.ContactName.Should().NotBeNullOrWhiteSpace();
            (r.Email ?? r.Phone).Should().NotBeNull($"record {r.Index} needs an email or a phone");
            if (r.Email is not null)
            {
                EmailAddress.Normalize(r.Email).Should().NotBeNull($"record {r.Index}'s email {r.Email} must be an address");
            }
            if (r.Phone is not null)
            {
                Phones.ToE164(r.Phone, r.Country).Should().NotBeNull($"record {r.Index}'s phone {r.Phone} in {r.Country} must read");
            }
        }
    }

    [Fact]
    public void Each_cluster_has_one_first_record_and_each_hard_negative_resembles_another_cluster()
    {
        var firsts = FirstOfCluster();
        Records.Where(r => r.IsVariant).Should().OnlyContain(r => firsts.ContainsKey(r.Cluster));
        var negatives = Records.Where(r => r.Negative is not null).ToList();
        negatives.Should().OnlyContain(n => n.Resembles != null && n.Resembles != n.Cluster && !n.IsVariant);
        negatives.Select(n => n.Cluster).Should().OnlyHaveUniqueItems("a hard negative is a person of their own");
        Records.Select(r => r.Email).OfType<string>().Select(EmailAddress.Normalize)
            .GroupBy(e => e).Where(g => g.Count() > 1)
            .Should().OnlyContain(g => Records.Where(r => EmailAddress.Normalize(r.Email) == g.Key).Select(r => r.Cluster).Distinct().Count() == 1,
                "two people never share an address");
    }

    [Fact]
    public void Each_variation_changes_what_it_says_and_keeps_what_makes_it_the_same_person()
    {
        var firsts = FirstOfCluster();
        foreach (var variant in Records.Where(r => r.IsVariant && firsts.ContainsKey(r.Cluster)))
        {
            var first = firsts[variant.Cluster];
            var because = $"record {variant.Index} ({string.Join(',', variant.Variations)}) varies {first}";
            foreach (var variation in variant.Variations)
            {
                switch (variation)
                {
                    case Variation.SameEmail:
                        variant.Email.Should().Be(first.Email, because);
                        break;
                    case Variation.Case:
                        variant.Email.Should().NotBe(first.Email, because).And.BeEquivalentTo(first.Email, because);
                        break;
                    case Variation.GmailDots:
                        EmailAddress.CanonicalAlias(EmailAddress.Normalize(variant.Email)).Should().Be(EmailAddress.CanonicalAlias(EmailAddress.Normalize(first.Email)), because);
                        break;
                    case Variation.NewEmailSameCompany:
                        EmailAddress.DomainOf(variant.Email!.ToLowerInvariant()).Should().Be(EmailAddress.DomainOf(first.Email!.ToLowerInvariant()), because);
                        variant.Email.Should().NotBeEquivalentTo(first.Email, because);
                        break;
                    case Variation.DomainHyphen:
                        variant.Email!.Split('@')[0].Should().Be(first.Email!.Split('@')[0], because);
                        variant.Email.Split('@')[1].Replace("-", "", StringComparison.Ordinal).Should().Be(first.Email.Split('@')[1].Replace("-", "", StringComparison.Ordinal), because);
                        break;
                    case Variation.PersonalEmail:
                        FreeMailDomains.Contains(EmailAddress.DomainOf(EmailAddress.Normalize(variant.Email))!).Should().BeTrue(because);
                        break;
                    case Variation.NoEmail:
                        variant.Email.Should().BeNull(because);
                        break;
                    case Variation.Accents:
                        Spelling.HasAccents(variant.ContactName).Should().BeFalse(because);
                        break;
                    case Variation.Typo or Variation.Nickname or Variation.Initial or Variation.SwappedNames:
                        variant.ContactName.Should().NotBe(first.ContactName, because);
                        break;
                    case Variation.CompanySuffix or Variation.CompanyAbbreviation:
                        variant.CompanyName.Should().NotBeNull(because).And.NotBe(first.CompanyName, because);
                        break;
                    case Variation.PhoneFormat or Variation.PhoneCountryPrefix:
                        variant.Phone.Should().NotBe(first.Phone, because);
                        if (!variant.Variations.Contains(Variation.PhoneTransposition))
                        {
                            Phones.ToE164(variant.Phone, variant.Country).Should().Be(Phones.ToE164(first.Phone, first.Country), because);
                        }
                        break;
                    case Variation.PhoneTransposition:
                        var (a, b) = (Phones.ToE164(variant.Phone, variant.Country)!, Phones.ToE164(first.Phone, first.Country)!);
                        a.Should().NotBe(b, because);
                        a.Order().Should().Equal(b.Order(), because);
                        break;
                }
            }
        }
    }

    [Fact]
    public void Hard_negatives_share_what_their_kind_says_with_the_record_they_resemble()
    {
        var firsts = FirstOfCluster();
        foreach (var n in Records.Where(r => r.Negative is not null))
        {
            var like = firsts[n.Resembles!.Value];
            var because = $"{n} resembles {like}";
            switch (n.Negative)
            {
                case HardNegative.Namesake:
                    n.ContactName.Should().Be(like.ContactName, because);
                    n.Email.Should().NotBe(like.Email, because);
                    break;
                case HardNegative.Colleague:
                    n.CompanyName.Should().Be(like.CompanyName, because);
                    EmailAddress.DomainOf(n.Email).Should().Be(EmailAddress.DomainOf(like.Email), because);
                    n.ContactName.Should().NotBe(like.ContactName, because);
                    break;
                case HardNegative.SharedFreeMail:
                    EmailAddress.DomainOf(n.Email).Should().Be(EmailAddress.DomainOf(like.Email), because);
                    FreeMailDomains.Contains(EmailAddress.DomainOf(n.Email)!).Should().BeTrue(because);
                    break;
                case HardNegative.FamilyPhone:
                    n.Phone.Should().Be(like.Phone, because);
                    n.ContactName.Split(' ')[^1].Should().Be(like.ContactName.Split(' ')[^1], because);
                    n.ContactName.Should().NotBe(like.ContactName, because);
                    break;
            }
        }
    }
}
