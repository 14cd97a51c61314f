using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests.Conversion;

/// <summary>Records for conversion tests: record n is created n minutes after T0 and has a well-formed id that sorts by n.</summary>
internal static class ConversionFixtures
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public const string User1 = "01JUSER0000000000000000001";
    public const string User2 = "01JUSER0000000000000000002";
    public const string User3 = "01JUSER0000000000000000003";

    public static string Id(int n) => $"01J{n:D23}";

    public static string TeamId(int n) => $"01JT{n:D22}";

    public static Lead Make(int n, Action<Lead>? with = null)
    {
        var lead = new Lead
        {
            Id = Id(n),
            Type = LeadType.Lead,
            Status = LeadStatus.Active,
            Name = $"Lead {n}",
            CreatedAt = T0.AddMinutes(n),
            UpdatedAt = T0.AddMinutes(n),
        };
        with?.Invoke(lead);
        return lead;
    }

    /// <summary>A pair's score that makes every rule count.</summary>
    public static readonly PairScore Sure = new(20, ["same email address"]);

    public static SimilarRecord Similar(int n, LeadType type, LeadStatus status, params MatchRule[] matchedOn) =>
        SimilarRecord.Of(Make(n, l => { l.Type = type; l.Status = status; }), matchedOn, Sure);

    public static Team Team(int n, string? leaderId = null, params string[] memberIds) => new()
    {
        Id = TeamId(n),
        Name = $"Team {n}",
        LeaderId = leaderId,
        MemberIds = [.. memberIds],
        CreatedAt = T0.AddDays(n),
    };

    /// <summary>Ids "C1", "C2", … in the order they are asked for.</summary>
    public static Func<string> Sequence()
    {
        var next = 0;
        return () => $"C{++next}";
    }
}
