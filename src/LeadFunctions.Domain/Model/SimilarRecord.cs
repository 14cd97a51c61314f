using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Model;

/// <summary>An item of GET /leads/{id}/similar: the rules it matched on, and the pair's score with its reasons (SPEC 4.2).</summary>
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
    IReadOnlyList<MatchRule> MatchedOn,
    int Score,
    IReadOnlyList<string> Reasons)
{
    public static SimilarRecord Of(Lead lead, IReadOnlyList<MatchRule> matchedOn, PairScore score) => new(
        lead.Id, lead.Type, lead.Status, lead.Name, lead.ContactName, lead.Email, lead.Phone,
        lead.CompanyName, lead.CreatedAt, matchedOn, score.Points, score.Reasons);
}
