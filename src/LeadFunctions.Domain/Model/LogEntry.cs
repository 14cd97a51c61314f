using System.Text.Json.Nodes;

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
}
