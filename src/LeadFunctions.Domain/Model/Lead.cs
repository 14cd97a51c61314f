namespace LeadFunctions.Domain.Model;

/// <summary>One record kind for leads and opportunities (SPEC 3).</summary>
public sealed partial class Lead : LeadText
{
    public string Id { get; set; } = "";
    public LeadType Type { get; set; }
    public LeadStatus Status { get; set; }
    public List<string> Tags { get; set; } = [];
    public int Priority { get; set; }
    public decimal ExpectedRevenue { get; set; }
    public int Probability { get; set; }
    public string? LostReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ConvertedAt { get; set; }
    public DateTimeOffset? WonAt { get; set; }
    public string? MergedInto { get; set; }
    public DuplicateCheck DuplicateCheck { get; set; } = new();

    // Consent (SPEC 4.2): each true means "do not", and a merge keeps any true it meets.
    public bool EmailOptOut { get; set; }
    public bool PhoneOptOut { get; set; }
    public bool DoNotContact { get; set; }

    /// <summary>The earliest attribution among the records merged into this one (SPEC 4.2); null on a record never merged.</summary>
    public Touch? FirstTouch { get; set; }

    /// <summary>The latest attribution among the records merged into this one; null on a record never merged.</summary>
    public Touch? LastTouch { get; set; }

    /// <summary>How the record came to its salesperson (SPEC 11); null before routing looked at it.</summary>
    public Routing.LeadAssignment? Assignment { get; set; }

    /// <summary>When the record got its current salesperson.</summary>
    public DateTimeOffset? AssignedAt { get; set; }

    /// <summary>The owner's first change, note or conversion after the record was assigned to them.</summary>
    public DateTimeOffset? FirstResponseAt { get; set; }
    /// <summary>Storage's version of the record; also sent as the ETag header.</summary>
    public string? Version { get; set; }

    /// <summary>
    /// A deep copy, through the wire format so that a field added to the record is copied too:
    /// merge planning must never change the records it was given (they are the undo snapshot).
    /// </summary>
    public Lead Clone() =>
        System.Text.Json.JsonSerializer.Deserialize<Lead>(System.Text.Json.JsonSerializer.Serialize(this, JsonDefaults.Options), JsonDefaults.Options)!;
}

public sealed class DuplicateCheck
{
    public DuplicateCheckStatus Status { get; set; }
    public int SimilarCount { get; set; }
    public List<string> SimilarIds { get; set; } = [];
    public DateTimeOffset? CheckedAt { get; set; }

    /// <summary>Why the check failed (status failed), in words without personal data; null otherwise.</summary>
    public string? Reason { get; set; }
}
