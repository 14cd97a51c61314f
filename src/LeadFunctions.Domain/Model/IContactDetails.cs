namespace LeadFunctions.Domain.Model;

/// <summary>
/// How to reach a lead or a customer, and where it is. Each type keeps these as flat properties of
/// its own, where its JSON has them: the API and the stored rows name them flat and in each type's
/// order, and System.Text.Json would nest a shared record and write a base class's properties
/// last. The interface lets <see cref="TextFields"/> copy them without listing them again.
/// </summary>
public interface IContactDetails
{
    string? Email { get; set; }
    string? Phone { get; set; }
    string? Website { get; set; }
    string? Street { get; set; }
    string? City { get; set; }
    string? Zip { get; set; }
    string? State { get; set; }
    string? Country { get; set; }
}
