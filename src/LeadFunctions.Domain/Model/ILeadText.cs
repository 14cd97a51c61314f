namespace LeadFunctions.Domain.Model;

/// <summary>
/// The text fields a record shares with its input (<see cref="Leads.LeadInput"/>), contact details
/// included: what the input writes onto the record and reads back from it through
/// <see cref="TextFields"/>. Flat on each type for the reason <see cref="IContactDetails"/> gives.
/// </summary>
public interface ILeadText : IContactDetails
{
    string? Name { get; set; }
    string? ContactName { get; set; }
    string? CompanyName { get; set; }
    string? Description { get; set; }
    string? UserId { get; set; }
    string? TeamId { get; set; }
    string? CustomerId { get; set; }
    string? Source { get; set; }
    string? Medium { get; set; }
    string? Campaign { get; set; }
}
