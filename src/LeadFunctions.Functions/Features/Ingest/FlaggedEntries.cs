using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>
/// The log entry that tells a record which similar records were found for it (SPEC 4.2): the
/// system's, whoever's change (or import) the check followed.
/// </summary>
public static class FlaggedEntries
{
    /// <param name="foundBy">Set on a neighbour's entry: the record whose check found the pair (and tells it as its event).</param>
    public static LogEntry Of(string checkId, string leadId, DateTimeOffset at,
        IEnumerable<(Lead Other, IReadOnlyList<MatchRule> On)> found, string? foundBy = null)
    {
        var matches = found.ToList();
        var similar = new JsonArray();
        foreach (var (other, on) in matches)
        {
            similar.Add(new JsonObject
            {
                ["id"] = other.Id,
                ["matchedOn"] = new JsonArray(on.Select(r => (JsonNode)JsonValue.Create(LeadRows.Wire(r))).ToArray()),
            });
        }
        return new LogEntry
        {
            // The check's id: a second run of the same check writes the same entry, not another one.
            Id = checkId,
            LeadId = leadId,
            At = at,
            Kind = LogKind.DuplicateFlagged,
            Message = matches.Count == 1 ? "1 similar record found." : $"{matches.Count} similar records found.",
            Data = foundBy is null ? new JsonObject { ["similar"] = similar } : new JsonObject { ["similar"] = similar, ["foundBy"] = foundBy },
            Actor = Actor.System,
        };
    }
}
