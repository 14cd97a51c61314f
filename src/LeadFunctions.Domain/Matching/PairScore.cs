using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Matching;

/// <summary>A candidate pair's score (the sum of its fields' weights) and the reasons for it, in words that quote no value.</summary>
public sealed record PairScore(int Points, IReadOnlyList<string> Reasons)
{
    /// <summary>
    /// The score a pair needs for a rule that only makes it a candidate (phone, domain, company
    /// name, contact name) to count: two fields agreeing (a phone, a company, a name), since one
    /// alone is as often a household's, a switchboard's, a colleague's or a namesake's. Same email,
    /// same mailbox and the customer links count on their own.
    /// </summary>
    public const int Threshold = 8;

    public static int? ThresholdOf(MatchRule rule) =>
        rule is MatchRule.Email or MatchRule.EmailAlias or MatchRule.Customer or MatchRule.Company ? null : Threshold;
}

/// <summary>
/// Scores a candidate pair the Fellegi–Sunter way (SPEC 4.2): each field's comparison falls into a
/// level, and each level weighs about log2(m/u), m being how often true duplicates show it and u
/// how often other pairs that share a key do. Among candidates, pairs sharing a phone or a domain
/// are mostly relatives and colleagues, so names that disagree weigh heavily against. Common
/// values count less: a frequent family name loses a point, a free-mail domain counts for nothing,
/// and a key held by 21 records or more stops making candidates at all (crowding). The weights
/// were set from these estimates and checked on the labelled benchmark (benchmarks/results).
/// </summary>
public sealed class PairScorer(PhoneNumbers phones)
{
    public PairScore Score(Lead a, Lead b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var points = 0;
        var reasons = new List<string>();
        void Add(int weight, string reason)
        {
            points += weight;
            reasons.Add(reason);
        }

        var (emailA, emailB) = (EmailAddress.Normalize(a.Email), EmailAddress.Normalize(b.Email));
        if (emailA is not null && emailA == emailB)
        {
            Add(10, "same email address");
        }
        else if (EmailAddress.CanonicalAlias(emailA) is { } alias && alias == EmailAddress.CanonicalAlias(emailB))
        {
            Add(10, "same mailbox (the provider ignores dots and +tags)");
        }

        var (phoneA, phoneB) = (phones.ToE164(a.Phone, a.Country), phones.ToE164(b.Phone, b.Country));
        if (phoneA is not null && phoneB is not null)
        {
            if (phoneA == phoneB)
            {
                Add(6, "same phone number");
            }
            else if (OneSwapApart(phoneA, phoneB))
            {
                Add(4, "phone numbers alike but for two digits in another order");
            }
            else
            {
                Add(-1, "different phone numbers");
            }
        }

        ScoreCompany(a, b, emailA, emailB, Add);
        ScoreName(a, b, Add);

        if (Regions.Of(a.Country) is { } countryA && Regions.Of(b.Country) is { } countryB && countryA != countryB)
        {
            Add(-2, "different countries");
        }
        return new PairScore(points, reasons);
    }

    /// <summary>Two numbers alike but for two neighbouring digits swapped (the transposable key only makes them candidates).</summary>
    private static bool OneSwapApart(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        var first = Enumerable.Range(0, a.Length).FirstOrDefault(i => a[i] != b[i], -1);
        return first >= 0 && first + 1 < a.Length && a[first] == b[first + 1] && a[first + 1] == b[first]
            && a.AsSpan(first + 2).SequenceEqual(b.AsSpan(first + 2));
    }

    private static void ScoreCompany(Lead a, Lead b, string? emailA, string? emailB, Action<int, string> add)
    {
        var (domainA, domainB) = (MatchKeys.CompanyDomain(emailA), MatchKeys.CompanyDomain(emailB));
        var (nameA, nameB) = (NameFolding.CompanyKey(a.CompanyName), NameFolding.CompanyKey(b.CompanyName));
        var sameDomain = domainA is not null && domainA == domainB;
        var sameName = nameA is not null && nameA == nameB;
        if (sameDomain && sameName)
        {
            add(5, "same company domain and company name");
        }
        else if (sameDomain)
        {
            add(4, "same company domain");
        }
        else if (sameName)
        {
            add(4, "same company name");
        }
        else if ((nameA is not null && nameB is not null) || (domainA is not null && domainB is not null))
        {
            add(-3, "different companies");
        }
    }

    private static void ScoreName(Lead a, Lead b, Action<int, string> add)
    {
        var agreement = PersonNames.Compare(a.ContactName, b.ContactName);
        var (weight, reason) = agreement switch
        {
            NameAgreement.Same => (6, "same name"),
            NameAgreement.Swapped => (5, "same name, written last name first"),
            NameAgreement.Nickname => (5, "same family name, first names that go by one another"),
            NameAgreement.Initial => (4, "same family name, the first name as its initial"),
            NameAgreement.Typo => (4, "names a keystroke apart"),
            NameAgreement.Faint => (1, "names faintly alike"),
            NameAgreement.SameFamilyOtherGiven => (-8, "same family name, other first names"),
            NameAgreement.SameGivenOtherFamily => (-6, "same first name, other family names"),
            NameAgreement.Different => (-10, "different names"),
            _ => (0, ""),
        };
        if (reason.Length == 0)
        {
            return;
        }
        add(weight, reason);
        // Either side's: a pair scores the same whichever record is checked.
        if (weight > 1 && (PersonNames.HasCommonFamilyName(a.ContactName) || PersonNames.HasCommonFamilyName(b.ContactName)))
        {
            add(-1, "a frequent family name, which counts less");
        }
    }
}
