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
        var keys = new List<MatchKey>(8);
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
        }
        if (EmailAddress.DomainOf(email) is { } domain && !FreeMailDomains.Contains(domain))
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
        if (NameFolding.ContactKey(lead.ContactName) is { } contact)
        {
            keys.Add(new MatchKey(MatchRule.ContactName, contact));
        }
        return keys;
    }
}
