using System.Text.Json.Nodes;

namespace LeadFunctions.Domain.Model;

/// <summary>New entries of a record's history, with ids that sort by time.</summary>
public static class LogEntries
{
    public static LogEntry New(string leadId, DateTimeOffset at, LogKind kind, string message, JsonObject? data) => new()
    {
        Id = Ids.New(at),
        LeadId = leadId,
        At = at,
        Kind = kind,
        Message = message,
        Data = data,
    };
}
