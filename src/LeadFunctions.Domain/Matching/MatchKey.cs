using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Matching;

/// <summary>One normalized value a record can be found by, e.g. "email:ann.lee@acme-corp.test".</summary>
public readonly record struct MatchKey(MatchRule Rule, string Value)
{
    public static string RuleName(MatchRule rule) => rule switch
    {
        MatchRule.Email => "email",
        MatchRule.EmailAlias => "email-alias",
        MatchRule.Phone => "phone",
        MatchRule.Domain => "domain",
        MatchRule.Customer => "customer",
        MatchRule.Company => "company",
        MatchRule.CompanyName => "company-name",
        MatchRule.ContactName => "contact-name",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    /// <summary>Reads back the text of <see cref="ToString"/>; the value may itself hold ':'.</summary>
    public static bool TryParse(string? text, out MatchKey key)
    {
        key = default;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || colon == text!.Length - 1)
        {
            return false;
        }
        var name = text[..colon];
        foreach (var rule in Enum.GetValues<MatchRule>())
        {
            if (RuleName(rule) == name)
            {
                key = new MatchKey(rule, text[(colon + 1)..]);
                return true;
            }
        }
        return false;
    }

    public override string ToString() => $"{RuleName(Rule)}:{Value}";
}
