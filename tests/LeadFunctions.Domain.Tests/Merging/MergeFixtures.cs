using System.Text.Json;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>Records for merge tests: record n is created n minutes after T0 and has a well-formed id that sorts by n.</summary>
internal static class MergeFixtures
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Id(int n) => $"01J{n:D23}";

    public static Lead Make(int n, Action<Lead>? with = null)
    {
        var lead = new Lead
        {
            Id = Id(n),
            Type = LeadType.Lead,
            Status = LeadStatus.Active,
            CreatedAt = T0.AddMinutes(n),
            UpdatedAt = T0.AddMinutes(n).AddSeconds(30),
            Version = $"W/\"datetime'v{n}'\"",
            DuplicateCheck = new DuplicateCheck
            {
                Status = DuplicateCheckStatus.Done,
                SimilarCount = 1,
                SimilarIds = [Id(n + 100)],
                CheckedAt = T0.AddMinutes(n).AddSeconds(5),
            },
        };
        with?.Invoke(lead);
        return lead;
    }

    public static string Json(Lead lead) => JsonSerializer.Serialize(lead, JsonDefaults.Options);
}
