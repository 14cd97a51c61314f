namespace LeadFunctions.Domain.Model;

public sealed class Team : IDirectoryRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public bool UseLeads { get; set; } = true;
    public string? LeaderId { get; set; }
    public List<string> MemberIds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}
