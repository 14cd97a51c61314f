namespace LeadFunctions.Domain.Model;

/// <summary>
/// The text fields a record shares with its input (<see cref="Leads.LeadInput"/>), contact details
/// included: what the input writes onto the record and reads back from it through
/// <see cref="TextFields"/>. Flat in the JSON, in the record's order, as <see cref="ContactDetails"/> says.
/// </summary>
public abstract class LeadText : ContactDetails
{
    public string? Name { get; set; }
    public string? ContactName { get; set; }
    public string? CompanyName { get; set; }
    public string? Description { get; set; }
    public string? UserId { get; set; }
    public string? TeamId { get; set; }
    public string? CustomerId { get; set; }
    public string? Source { get; set; }
    public string? Medium { get; set; }
    public string? Campaign { get; set; }
}
