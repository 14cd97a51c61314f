using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Erasure;

/// <summary>
/// The person to forget (SPEC 4.5), as the similar-record rules read an email and a phone: a
/// record or customer is theirs when its normalized email, its mailbox alias (Gmail) or its E.164
/// phone is the same.
/// </summary>
public sealed record ErasureTarget(string? Email, string? EmailAlias, string? Phone)
{
    /// <summary>The target of a request, or the field errors: an email or a phone, each valid.</summary>
    public static ErasureTarget Parse(string? email, string? phone, Matching.PhoneNumbers phones, out ValidationErrors errors)
    {
        errors = new ValidationErrors();
        string? normalized = null;
        string? e164 = null;
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(phone))
        {
            errors.Add("email", "Give the email or the phone (or both) of the person to erase.");
        }
        if (!string.IsNullOrWhiteSpace(email) && (normalized = EmailAddress.Normalize(email)) is null)
        {
            errors.Add("email", "This is not a valid email address.");
        }
        if (!string.IsNullOrWhiteSpace(phone) && (e164 = phones.ToE164(phone)) is null)
        {
            errors.Add("phone", "This is not a valid phone number (give it with its country code, such as +1 415 555 0100).");
        }
        return new ErasureTarget(normalized, EmailAddress.CanonicalAlias(normalized), e164);
    }

    public bool Matches(string? email, string? phone, string? country, Matching.PhoneNumbers phones)
    {
        var normalized = EmailAddress.Normalize(email);
        if (Email is not null && normalized is not null
            && (normalized == Email || (EmailAlias is not null && EmailAddress.CanonicalAlias(normalized) == EmailAlias)))
        {
            return true;
        }
        return Phone is not null && phones.ToE164(phone, country) == Phone;
    }

    public bool Matches(Lead lead, Matching.PhoneNumbers phones) => Matches(lead.Email, lead.Phone, lead.Country, phones);

    public bool Matches(Customer customer, Matching.PhoneNumbers phones) => Matches(customer.Email, customer.Phone, customer.Country, phones);

    /// <summary>
    /// The partitions swept for markers every round: the person's own keys and the phone's
    /// transposable form, which holds the number to within a few orderings. Never used to find
    /// records: that form also lists other people's numbers.
    /// </summary>
    public IEnumerable<MatchKey> SweptKeys() =>
        Phone is null ? IndexKeys() : IndexKeys().Append(new MatchKey(MatchRule.Phone, MatchKeys.Transposable(Phone)));

    /// <summary>The index entries that list the person's records (the similar-record index's own keys).</summary>
    public IEnumerable<MatchKey> IndexKeys()
    {
        if (Email is not null)
        {
            yield return new MatchKey(MatchRule.Email, Email);
        }
        if (EmailAlias is not null)
        {
            yield return new MatchKey(MatchRule.EmailAlias, EmailAlias);
        }
        if (Phone is not null)
        {
            yield return new MatchKey(MatchRule.Phone, Phone);
        }
    }
}
