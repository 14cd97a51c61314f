namespace LeadFunctions.Domain.Model;

/// <summary>An item of GET /leads/{id}/similar.</summary>
public sealed record SimilarRecord(
    string Id,
    LeadType Type,
    LeadStatus Status,
    string? Name,
    string? ContactName,
    string? Email,
    string? Phone,
    string? CompanyName,
    DateTimeOffset CreatedAt,
    IReadOnlyList<MatchRule> MatchedOn)
{
    public static SimilarRecord Of(Lead lead, IReadOnlyList<MatchRule> matchedOn) => new(
        lead.Id, lead.Type, lead.Status, lead.Name, lead.ContactName, lead.Email, lead.Phone,
        lead.CompanyName, lead.CreatedAt, matchedOn);
}
