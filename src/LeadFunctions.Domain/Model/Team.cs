using LeadFunctions.Domain.Routing;

namespace LeadFunctions.Domain.Model;

public sealed class Team : IDirectoryRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public bool UseLeads { get; set; } = true;
    public string? LeaderId { get; set; }
    public List<string> MemberIds { get; set; } = [];

    /// <summary>The order teams' rules are tried in (SPEC 11): lower first, then by creation.</summary>
    public int Sequence { get; set; }

    /// <summary>The team that takes the records no team's rules match; at most one team is.</summary>
    public bool Default { get; set; }

    /// <summary>Conditions on a record's fields, all of which must hold; none: the team takes records only as the default.</summary>
    public List<RoutingRule> Rules { get; set; } = [];

    /// <summary>How long an owner has to answer a record the rules gave them (ISO 8601 duration, "PT2H"), in working hours; null: no limit.</summary>
    public string? RespondWithin { get; set; }

    /// <summary>How many times a record not answered in time goes back to the rules.</summary>
    public int MaxReassignments { get; set; } = 2;

    /// <summary>The team's IANA time zone ("Europe/Brussels"), for its working hours.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>When respondWithin runs; null: around the clock.</summary>
    public WorkingHours? WorkingHours { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
