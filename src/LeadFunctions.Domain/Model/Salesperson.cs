namespace LeadFunctions.Domain.Model;

public sealed class Salesperson : IDirectoryRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
