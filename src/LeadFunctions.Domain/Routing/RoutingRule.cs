using System.Text.Json.Serialization;

namespace LeadFunctions.Domain.Routing;

/// <summary>How a condition compares a record's field with its values.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleOp>))]
public enum RuleOp
{
    [JsonStringEnumMemberName("equals")] Equals,
    [JsonStringEnumMemberName("in")] In,
    [JsonStringEnumMemberName("contains")] Contains,
    [JsonStringEnumMemberName("startsWith")] StartsWith,
}

/// <summary>
/// One condition of a team's assignment rules (SPEC 11): <c>{"field": "source", "op": "equals", "values": ["fair"]}</c>.
/// A team's conditions must all hold for a record to match the team.
/// </summary>
public sealed class RoutingRule
{
    public string Field { get; set; } = "";
    public RuleOp Op { get; set; }
    public List<string> Values { get; set; } = [];
}
