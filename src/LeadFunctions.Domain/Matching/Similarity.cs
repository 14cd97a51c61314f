using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Matching;

/// <summary>Which rules make two records similar (the matchedOn of SPEC 4.2).</summary>
public static class Similarity
{
    /// <summary>
    /// A company domain, company name or contact name held by this many records or more is a
    /// shared host or a common name, not one company's or one person's: it stops counting.
    /// </summary>
    public const int CrowdedDomainThreshold = 21;

    public static bool IsCrowded(int recordsWithKey) => recordsWithKey >= CrowdedDomainThreshold;

    /// <summary>The rules whose keys stop counting when crowded.</summary>
    public static bool Crowds(MatchRule rule) => rule is MatchRule.Domain or MatchRule.CompanyName or MatchRule.ContactName;

    /// <summary>
    /// The rules on which the two key sets agree, in <see cref="MatchRule"/> order, leaving out rules
    /// switched off in <paramref name="rules"/>, crowding keys (domain, names) for which
    /// <paramref name="isCrowded"/> is true, and rules that only make the pair a candidate when its
    /// <paramref name="score"/> is under their threshold (<see cref="PairScore.ThresholdOf"/>).
    /// </summary>
    /// <remarks>
    /// "email" is reported whenever the normalized emails are equal. "email-alias" is reported only
    /// when it says something more: the canonical mailboxes are equal while "email" is not reported
    /// (the emails differ, e.g. a.n.n+news@gmail.com and ann@gmail.com, or the email rule is off).
    /// An identical gmail address therefore shows ["email"], not ["email", "email-alias"]. Likewise
    /// "company" (colleagues: linked to the same company customer) only when "customer" (the very
    /// same customer) is not reported.
    /// </remarks>
    public static IReadOnlyList<MatchRule> MatchedOn(
        IReadOnlyCollection<MatchKey> subject,
        IReadOnlyCollection<MatchKey> candidate,
        DuplicateRules rules,
        Func<MatchKey, bool> isCrowded,
        PairScore score)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(isCrowded);
        ArgumentNullException.ThrowIfNull(score);

        var matched = new List<MatchRule>();
        foreach (var rule in Enum.GetValues<MatchRule>())
        {
            if (!rules.IsOn(rule))
            {
                continue;
            }
            var shared = subject.Where(k => k.Rule == rule)
                .Select(k => k.Value)
                .Intersect(candidate.Where(k => k.Rule == rule).Select(k => k.Value), StringComparer.Ordinal);
            var counts = rule switch
            {
                MatchRule.EmailAlias => !matched.Contains(MatchRule.Email) && shared.Any(),
                MatchRule.Company => !matched.Contains(MatchRule.Customer) && shared.Any(),
                _ when Crowds(rule) => shared.Any(value => !isCrowded(new MatchKey(rule, value))),
                _ => shared.Any(),
            };
            if (counts && (PairScore.ThresholdOf(rule) is not { } threshold || score.Points >= threshold))
            {
                matched.Add(rule);
            }
        }
        return matched;
    }
}
