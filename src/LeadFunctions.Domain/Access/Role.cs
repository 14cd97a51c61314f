using System.Text.Json.Serialization;

namespace LeadFunctions.Domain.Access;

/// <summary>
/// What a person or key may do (SPEC 10), each role including the ones below it: sales works
/// records, a manager also runs bulk work and the directory, an admin also settings, webhooks,
/// erasures and API keys. Serialized "sales", "manager", "admin".
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Role>))]
public enum Role
{
    [JsonStringEnumMemberName("sales")] Sales = 1,
    [JsonStringEnumMemberName("manager")] Manager = 2,
    [JsonStringEnumMemberName("admin")] Admin = 3,
}

public static class Roles
{
    public static IReadOnlyList<string> Names { get; } = ["sales", "manager", "admin"];

    /// <summary>The role a name ("sales", "Manager", …) stands for; null for anything else.</summary>
    public static Role? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "sales" => Role.Sales,
        "manager" => Role.Manager,
        "admin" => Role.Admin,
        _ => null,
    };

    public static string Name(this Role role) => Names[(int)role - 1];

    /// <summary>The highest of the names that are roles; null when none is.</summary>
    public static Role? Highest(IEnumerable<string> names) =>
        names.Select(Parse).Where(r => r is not null).Max();
}
