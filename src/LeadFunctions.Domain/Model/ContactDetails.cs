namespace LeadFunctions.Domain.Model;

/// <summary>
/// How to reach a lead or a customer, and where it is: declared once for the record, its input and
/// the customer made from a record. The JSON still has them flat, among each type's own fields in
/// the order of <see cref="Leads.LeadFields.Order"/> (<see cref="JsonDefaults"/> sets it):
/// System.Text.Json would otherwise write a base class's properties after the type's own.
/// </summary>
public abstract class ContactDetails
{
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? Street { get; set; }
    public string? City { get; set; }
    public string? Zip { get; set; }
    public string? State { get; set; }
    public string? Country { get; set; }
}
