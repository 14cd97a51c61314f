using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Matching;

/// <summary>The keys a record is indexed and matched by (SPEC 4.2), computed from its stored fields.</summary>
public sealed class MatchKeys(PhoneNumbers phones)
{
    /// <param name="lead">The record; it is only read.</param>
    /// <param name="customerRootId">
    /// The company of the linked customer when that customer is a person with a company, else the
    /// linked customer itself; null when there is none. The caller resolves it because it needs storage.
    /// </param>
    /// <returns>The keys in <see cref="MatchRule"/> order; none for a merged record (a tombstone).</returns>
    public IReadOnlyList<MatchKey> Of(Lead lead, string? customerRootId)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (lead.Status == LeadStatus.Merged)
        {
            return [];
        }
        var keys = new List<MatchKey>(5);
        var email = EmailAddress.Normalize(lead.Email);
        if (email is not null)
        {
            keys.Add(new MatchKey(MatchRule.Email, email));
            if (EmailAddress.CanonicalAlias(email) is { } alias)
            {
                keys.Add(new MatchKey(MatchRule.EmailAlias, alias));
            }
        }
        if (phones.ToE164(lead.Phone) is { } phone)
        {
            keys.Add(new MatchKey(MatchRule.Phone, phone));
        }
        if (EmailAddress.DomainOf(email) is { } domain && !FreeMailDomains.Contains(domain))
        {
            keys.Add(new MatchKey(MatchRule.Domain, domain));
        }
        if (!string.IsNullOrWhiteSpace(customerRootId))
        {
            keys.Add(new MatchKey(MatchRule.Customer, customerRootId.Trim()));
        }
        return keys;
    }
}
