using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Conversion;

/// <summary>Only an active lead converts (SPEC 4.3).</summary>
public static class ConversionGuard
{
    /// <summary>
    /// Refuses a record that cannot convert, with the reason, checked in this order: a merged record
    /// ("merged into X", <see cref="ConflictException.MergedInto"/> set), a won record ("won"), an opportunity ("already an
    /// opportunity"), a lost lead ("lost: restore it first").
    /// </summary>
    /// <exception cref="ConflictException">The record is not an active lead (answered 409).</exception>
    public static void EnsureConvertible(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (lead.Status == LeadStatus.Merged)
        {
            throw new ConflictException($"The record '{lead.Id}' is merged into '{lead.MergedInto}'; convert that record instead.", lead.MergedInto);
        }
        // Before the type: a won record is an opportunity too, and "won" is the reason that says more.
        if (lead.Status == LeadStatus.Won)
        {
            throw new ConflictException($"The record '{lead.Id}' is won.");
        }
        if (lead.Type == LeadType.Opportunity)
        {
            throw new ConflictException($"The record '{lead.Id}' is already an opportunity.");
        }
        if (lead.Status == LeadStatus.Lost)
        {
            throw new ConflictException($"The lead '{lead.Id}' is lost: restore it first.");
        }
    }
}
