using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Matching;

/// <summary>The keys a record is indexed and matched by (SPEC 4.2), computed from its stored fields.</summary>
public sealed class MatchKeys(PhoneNumbers phones)
{
    /// <param name="lead">The record; it is only read.</param>
    /// <param name="companyId">
    /// The company customer the linked customer belongs to: the customer itself when it is a
    /// company, the person's company when it is a person with one; null otherwise. The caller
    /// resolves it because it needs storage.
    /// </param>
    /// <returns>The keys in <see cref="MatchRule"/> order; none for a merged record (a tombstone).</returns>
    public IReadOnlyList<MatchKey> Of(Lead lead, string? companyId)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (lead.Status == LeadStatus.Merged)
        {
            return [];
        }
        var keys = new List<MatchKey>(11);
        var email = EmailAddress.Normalize(lead.Email);
        if (email is not null)
        {
            keys.Add(new MatchKey(MatchRule.Email, email));
            if (EmailAddress.CanonicalAlias(email) is { } alias)
            {
                keys.Add(new MatchKey(MatchRule.EmailAlias, alias));
            }
        }
        if (phones.ToE164(lead.Phone, lead.Country) is { } phone)
        {
            keys.Add(new MatchKey(MatchRule.Phone, phone));
            keys.Add(new MatchKey(MatchRule.Phone, Transposable(phone)));
        }
        if (CompanyDomain(email) is { } domain)
        {
            keys.Add(new MatchKey(MatchRule.Domain, domain));
        }
        if (!string.IsNullOrWhiteSpace(lead.CustomerId))
        {
            keys.Add(new MatchKey(MatchRule.Customer, lead.CustomerId.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(companyId))
        {
            keys.Add(new MatchKey(MatchRule.Company, companyId.Trim()));
        }
        if (NameFolding.CompanyKey(lead.CompanyName) is { } company)
        {
            keys.Add(new MatchKey(MatchRule.CompanyName, company));
        }
        keys.AddRange(PersonNames.Keys(lead.ContactName).Select(key => new MatchKey(MatchRule.ContactName, key)));
        return keys;
    }

    /// <summary>
    /// The phone's key that two digits swapped keep: the number with its last six digits in sorted
    /// order ("+32470123456" → "+32470*123456"). One partition where deletion keys would take six.
    /// </summary>
    public static string Transposable(string e164)
    {
        ArgumentNullException.ThrowIfNull(e164);
        var split = Math.Max(1, e164.Length - 6);
        return e164[..split] + "*" + new string([.. e164[split..].Order()]);
    }

    /// <summary>A company's email domain, hyphens left out ("acme-corp.test" and "acmecorp.test" are one company); none for free mail.</summary>
    public static string? CompanyDomain(string? normalizedEmail) =>
        EmailAddress.DomainOf(normalizedEmail) is { } domain && !FreeMailDomains.Contains(domain) ? domain.Replace("-", "", StringComparison.Ordinal) : null;
}
