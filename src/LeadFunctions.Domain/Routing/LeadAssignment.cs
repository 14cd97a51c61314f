using System.Text.Json.Serialization;

namespace LeadFunctions.Domain.Routing;

/// <summary>How a record came to its salesperson (SPEC 11): "assigned" by the rules, "waiting" for someone available, "manual" by a person.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssignmentStatus>))]
public enum AssignmentStatus
{
    [JsonStringEnumMemberName("assigned")] Assigned,
    [JsonStringEnumMemberName("waiting")] Waiting,
    [JsonStringEnumMemberName("manual")] Manual,
}

/// <summary>The record's last assignment: what happened, why in words, and when.</summary>
public sealed class LeadAssignment
{
    public AssignmentStatus Status { get; set; }

    /// <summary>Why, in words: "country BE matched team Benelux; Lea had 3 of 20 in the last 30 days".</summary>
    public string Reason { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>How many times the record went back to the rules because its owner did not answer in time.</summary>
    public int Reassignments { get; set; }

    /// <summary>When the owner must have answered by (the team's respondWithin, in its working hours); null without one.</summary>
    public DateTimeOffset? RespondBy { get; set; }
}
