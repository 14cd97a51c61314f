using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Model;

/// <summary>One entry of a record's history, like a CRM's chatter. Listed newest first.</summary>
public sealed class LogEntry
{
    public string Id { get; set; } = "";
    public string LeadId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public LogKind Kind { get; set; }
    public string Message { get; set; } = "";
    public JsonObject? Data { get; set; }

    /// <summary>
    /// Who made the change (SPEC 10). Every entry written now has one; null only on entries written
    /// before actors were recorded, whose author is unknown (not the system: a person may have made
    /// them), so that nothing claims an author it cannot know.
    /// </summary>
    public Actor? Actor { get; set; }
}
