using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Model;

/// <summary>New entries of a record's history, with ids that sort by time.</summary>
public static class LogEntries
{
    /// <param name="actor">Who made the change: required, so that no writer can forget to say it.</param>
    public static LogEntry New(string leadId, DateTimeOffset at, LogKind kind, string message, JsonObject? data, Actor actor) => new()
    {
        Id = Ids.New(at),
        LeadId = leadId,
        At = at,
        Kind = kind,
        Message = message,
        Data = data,
        Actor = actor,
    };
}
