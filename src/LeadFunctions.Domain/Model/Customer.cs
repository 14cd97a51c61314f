namespace LeadFunctions.Domain.Model;

public sealed class Customer : ContactDetails, IDirectoryRecord
{
    public string Id { get; set; } = "";
    public CustomerKind Kind { get; set; }
    public string Name { get; set; } = "";
    /// <summary>A person's company.</summary>
    public string? CompanyId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
