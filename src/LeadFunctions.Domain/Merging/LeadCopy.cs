using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Merging;

/// <summary>
/// A deep copy of a record: merge planning must never change the records it was given, because the
/// caller still writes them (ETag-checked) and keeps them as the undo snapshot.
/// </summary>
internal static class LeadCopy
{
    public static Lead Of(Lead lead) => new()
    {
        Id = lead.Id,
        Type = lead.Type,
        Status = lead.Status,
        Name = lead.Name,
        ContactName = lead.ContactName,
        Email = lead.Email,
        Phone = lead.Phone,
        CompanyName = lead.CompanyName,
        Website = lead.Website,
        Street = lead.Street,
        City = lead.City,
        Zip = lead.Zip,
        State = lead.State,
        Country = lead.Country,
        Description = lead.Description,
        Tags = [.. lead.Tags],
        Priority = lead.Priority,
        ExpectedRevenue = lead.ExpectedRevenue,
        Probability = lead.Probability,
        UserId = lead.UserId,
        TeamId = lead.TeamId,
        CustomerId = lead.CustomerId,
        Source = lead.Source,
        Medium = lead.Medium,
        Campaign = lead.Campaign,
        LostReason = lead.LostReason,
        CreatedAt = lead.CreatedAt,
        UpdatedAt = lead.UpdatedAt,
        ConvertedAt = lead.ConvertedAt,
        MergedInto = lead.MergedInto,
        DuplicateCheck = new DuplicateCheck
        {
            Status = lead.DuplicateCheck.Status,
            SimilarCount = lead.DuplicateCheck.SimilarCount,
            SimilarIds = [.. lead.DuplicateCheck.SimilarIds],
            CheckedAt = lead.DuplicateCheck.CheckedAt,
        },
        Version = lead.Version,
    };
}
