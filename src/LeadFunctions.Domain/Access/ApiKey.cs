namespace LeadFunctions.Domain.Access;

/// <summary>
/// A machine's credential (SPEC 10): named, with a role. The key itself is shown once, when made;
/// only its keyed hash is stored, so a copy of the table lets nobody in.
/// </summary>
public sealed class ApiKey
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Role Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Actor CreatedBy { get; set; } = Actor.System;

    /// <summary>Updated at most once a <see cref="LastUsedGranularity"/>: a write per call would double the cost of every call.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    public static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(5);
}
