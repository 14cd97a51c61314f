using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Routing;

namespace LeadFunctions.Domain.Model;

// Who owns the record and since when (SPEC 11). The rules assign through Route; a person (or a
// conversion they ask for) through a change of userId, which makes the assignment manual; the
// owner's first change, note or conversion after that is the record's first response.
public sealed partial class Lead
{
    /// <summary>
    /// Gives the record to <paramref name="userId"/> (and team) as the rules decided, or marks it
    /// waiting for someone of the team; the entry tells why, with <paramref name="data"/>.
    /// </summary>
    public LogEntry Route(AssignmentStatus status, string? teamId, string? userId, string reason, JsonObject data,
        DateTimeOffset now, Actor actor, string entryId, int reassignments = 0, DateTimeOffset? respondBy = null)
    {
        var owner = userId != UserId;
        TeamId = teamId ?? TeamId;
        UserId = userId ?? UserId;
        if (owner && UserId is not null)
        {
            AssignedAt = now;
            FirstResponseAt = null;
        }
        Assignment = new LeadAssignment { Status = status, Reason = reason, At = now, Reassignments = reassignments, RespondBy = respondBy };
        var entry = LogEntries.New(Id, now, LogKind.Assigned, Capitalized(reason) + ".", data, actor);
        entry.Id = entryId;
        return entry;
    }

    /// <summary>After a change of <see cref="LeadText.UserId"/> from <paramref name="before"/> by a person or a client: a manual assignment.</summary>
    public void AssignedBy(string? before, DateTimeOffset now, Actor actor)
    {
        if (before == UserId)
        {
            return;
        }
        AssignedAt = UserId is null ? null : now;
        FirstResponseAt = null;
        Assignment = new LeadAssignment
        {
            Status = AssignmentStatus.Manual,
            Reason = UserId is null ? $"unassigned by {actor.Name}" : $"assigned by {actor.Name}",
            At = now,
            Reassignments = Assignment?.Reassignments ?? 0,
        };
    }

    /// <summary>The owner's change, note or conversion: the first one after the assignment is the first response.</summary>
    public void RespondedBy(Actor actor, DateTimeOffset now)
    {
        if (FirstResponseAt is null && UserId is not null && actor.Kind == ActorKind.Person && actor.Id == UserId)
        {
            FirstResponseAt = now;
        }
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
