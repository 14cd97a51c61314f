using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Conversion;

/// <summary>The customers that customer mode <c>create</c> makes from a lead (SPEC 4.3).</summary>
public static class CustomerPlan
{
    /// <summary>
    /// The customers to create for <paramref name="lead"/>, in creation order (ids from
    /// <paramref name="newId"/>, taken in that order; createdAt <paramref name="now"/>):
    /// <list type="number">
    /// <item>A company named after the lead's companyName, when it is not blank.</item>
    /// <item>A person, named after the contactName; else after the name part of the email
    /// ("amy.wong+x@wong.test" gives "Amy Wong"); else, only when there is no company, after the
    /// lead's name. No person when none of these gives a name. The person's companyId is the company's id.</item>
    /// </list>
    /// Each copies phone, website and the address (street, city, zip, state, country) from the
    /// lead; the email goes to the person, or to the company when there is no person. Values are
    /// copied as stored. The list is empty only when the lead has no company, contact, email or name.
    /// </summary>
    public static IReadOnlyList<Customer> ForLead(Lead lead, Func<string> newId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(newId);
        var created = new List<Customer>(2);
        Customer? company = null;
        if (ConversionDefaults.Filled(lead.CompanyName))
        {
            company = From(lead, CustomerKind.Company, lead.CompanyName!.Trim(), newId, now);
            created.Add(company);
        }
        var personName = Trimmed(lead.ContactName) ?? NameFromEmail(lead.Email) ?? (company is null ? Trimmed(lead.Name) : null);
        if (personName is not null)
        {
            var person = From(lead, CustomerKind.Person, personName, newId, now);
            person.CompanyId = company?.Id;
            created.Add(person);
            if (company is not null)
            {
                company.Email = null;
            }
        }
        return created;
    }

    /// <summary>The customer the lead links to once <paramref name="created"/> exist: the person when there is one, else the company.</summary>
    /// <exception cref="ArgumentException">The list is empty: there is nothing to link.</exception>
    public static string LinkTarget(IReadOnlyList<Customer> created)
    {
        ArgumentNullException.ThrowIfNull(created);
        var target = created.FirstOrDefault(c => c.Kind == CustomerKind.Person)
            ?? created.FirstOrDefault(c => c.Kind == CustomerKind.Company)
            ?? throw new ArgumentException("No customer was created: there is nothing to link.", nameof(created));
        return target.Id;
    }

    /// <summary>
    /// A person's name from an email address: the local part before any '+', split on '.', '_'
    /// and '-', each part capitalised ("amy.wong+x@wong.test" gives "Amy Wong"); null when the
    /// email is not a valid address or its local part gives no name.
    /// </summary>
    public static string? NameFromEmail(string? email)
    {
        var normalized = EmailAddress.Normalize(email);
        if (normalized is null)
        {
            return null;
        }
        var local = normalized[..normalized.LastIndexOf('@')];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            local = local[..plus];
        }
        var parts = local.Split(['.', '_', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => char.ToUpperInvariant(p[0]) + p[1..])
            .ToList();
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    private static Customer From(Lead lead, CustomerKind kind, string name, Func<string> newId, DateTimeOffset now)
    {
        var customer = new Customer { Id = newId(), Kind = kind, Name = name, CreatedAt = now };
        lead.CopyContactTo(customer);
        return customer;
    }

    private static string? Trimmed(string? value) => ConversionDefaults.Filled(value) ? value!.Trim() : null;
}
