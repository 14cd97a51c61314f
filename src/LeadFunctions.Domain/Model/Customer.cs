namespace LeadFunctions.Domain.Model;

public sealed class Customer : IDirectoryRecord, IContactDetails
{
    public string Id { get; set; } = "";
    public CustomerKind Kind { get; set; }
    public string Name { get; set; } = "";
    /// <summary>A person's company.</summary>
    public string? CompanyId { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? Street { get; set; }
    public string? City { get; set; }
    public string? Zip { get; set; }
    public string? State { get; set; }
    public string? Country { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
