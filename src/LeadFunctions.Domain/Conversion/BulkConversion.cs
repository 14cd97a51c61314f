using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Conversion;

/// <summary>The request rules of a bulk conversion (SPEC 4.3, POST /conversions).</summary>
public static class BulkConversion
{
    public const int MaxBulk = 100;

    private const string LeadIdsField = "leadIds";

    /// <summary>
    /// Checks the requested ids before any record is read: 1 to <see cref="MaxBulk"/> ids, none
    /// repeated; errors are on "leadIds". A malformed id is not an error here: it fails alone as an
    /// unknown lead when the conversion runs, as any unknown id does.
    /// </summary>
    public static ValidationErrors ValidateIds(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var errors = new ValidationErrors();
        if (ids.Count is < 1 or > MaxBulk)
        {
            errors.Add(LeadIdsField, $"must name 1 to {MaxBulk} leads; {ids.Count} given");
        }
        var repeated = ids
            .Select((id, index) => (id, index))
            .GroupBy(x => x.id, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            // A malformed id can be anything, of any length: it is named by its index, not its text.
            .Select(g => Ids.IsWellFormed(g.Key) ? g.Key : $"the id at index {g.First().index}")
            .ToList();
        if (repeated.Count > 0)
        {
            errors.Add(LeadIdsField, "must not name a lead twice: " + string.Join(", ", repeated));
        }
        return errors;
    }

    /// <summary>
    /// The customer choice for one lead of a bulk conversion: <see cref="BulkCustomerMode.Auto"/>
    /// links <paramref name="customerByEmail"/> (the customer with the lead's normalized email, see
    /// <see cref="ConversionDefaults.SuggestCustomer"/>) when there is one, else creates;
    /// <see cref="BulkCustomerMode.Create"/> creates; <see cref="BulkCustomerMode.None"/> links nothing.
    /// A lead that has a customer keeps it under auto (and create makes none for it, see the conversion).
    /// </summary>
    public static CustomerChoice CustomerFor(BulkCustomerMode mode, Customer? customerByEmail, string? existingCustomerId = null) => mode switch
    {
        BulkCustomerMode.Auto when ConversionDefaults.Filled(existingCustomerId) => CustomerChoice.Link(existingCustomerId!),
        BulkCustomerMode.Auto => customerByEmail is not null ? CustomerChoice.Link(customerByEmail.Id) : CustomerChoice.Create,
        BulkCustomerMode.Create => CustomerChoice.Create,
        BulkCustomerMode.None => CustomerChoice.None,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown customer mode."),
    };
}
