using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Events;

/// <summary>
/// The actor of a change as its event carries it (SPEC 10), twice: the CloudEvents extension
/// attribute <c>actor</c>, which thin events and Service Bus application properties carry too,
/// so that a consumer can route or filter on it without the data; and <c>data.actor</c>, the
/// whole <c>{kind, id, name}</c>, for those who show it.
/// </summary>
public static class EventActor
{
    /// <summary>The extension attribute's name: lower-case letters and digits, as CloudEvents 1.0 requires.</summary>
    public const string Attribute = "actor";

    /// <summary>The member of <c>data</c> that holds the whole actor.</summary>
    public const string DataMember = "actor";

    /// <summary>
    /// The attribute's value: an extension attribute is a string, so the kind, then a colon and
    /// the id when there is one (<c>person:01J…</c>, <c>apikey:01J…</c>, <c>visitor</c>,
    /// <c>system</c>). Never the name: it can change, and it is what people read, not match on.
    /// </summary>
    public static string Format(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var kind = KindName(actor.Kind);
        return string.IsNullOrEmpty(actor.Id) ? kind : $"{kind}:{actor.Id}";
    }

    /// <summary>Reads an attribute value back; false when it is none of the four kinds.</summary>
    public static bool TryParse(string? value, out ActorKind kind, out string? id)
    {
        kind = default;
        id = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        foreach (var candidate in Enum.GetValues<ActorKind>())
        {
            if (KindName(candidate) == name)
            {
                kind = candidate;
                id = colon < 0 || colon == value.Length - 1 ? null : value[(colon + 1)..];
                return true;
            }
        }
        return false;
    }

    /// <summary><c>data.actor</c>: the actor as the API writes it, <c>{kind, id, name}</c>.</summary>
    public static JsonObject ToData(Actor actor) => JsonSerializer.SerializeToNode(actor, JsonDefaults.Options)!.AsObject();

    /// <summary>The kind's wire name ("person", "apikey", "visitor", "system"), as the API writes it.</summary>
    public static string KindName(ActorKind kind) => JsonSerializer.Serialize(kind, JsonDefaults.Options).Trim('"');
}
