namespace LeadFunctions.Domain.Routing;

/// <summary>
/// When a team works, in its time zone: the days (lower-case English names, "monday"…) and the
/// hours ("09:00" to "17:00"). A respondWithin is counted in these hours only.
/// </summary>
public sealed class WorkingHours
{
    public List<string> Days { get; set; } = ["monday", "tuesday", "wednesday", "thursday", "friday"];
    public string Start { get; set; } = "09:00";
    public string End { get; set; } = "17:00";
}
