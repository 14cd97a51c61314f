using System.Text.Json.Serialization;

namespace LeadFunctions.Domain.Access;

/// <summary>What kind of party made a change (SPEC 10): serialized "person", "apikey", "visitor", "system".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActorKind>))]
public enum ActorKind
{
    [JsonStringEnumMemberName("person")] Person,
    [JsonStringEnumMemberName("apikey")] ApiKey,
    [JsonStringEnumMemberName("visitor")] Visitor,
    [JsonStringEnumMemberName("system")] System,
}

/// <summary>
/// Who did a change: a signed-in person (the salesperson's id and name; for an admin of Auth:Admins
/// without a salesperson record, the Entra object id), an API key (its id and
/// name), a web-form visitor, or the app itself (checks, sweeps, recoveries). Held by every log
/// entry, event, merge, import, erasure and webhook change.
/// </summary>
public sealed record Actor(ActorKind Kind, string? Id, string Name)
{
    public static Actor System { get; } = new(ActorKind.System, null, "LeadFunctions");

    public static Actor Visitor { get; } = new(ActorKind.Visitor, null, "Web form visitor");

    public static Actor Person(string? salespersonId, string name) => new(ActorKind.Person, salespersonId, name);

    public static Actor ApiKey(string keyId, string name) => new(ActorKind.ApiKey, keyId, name);
}
