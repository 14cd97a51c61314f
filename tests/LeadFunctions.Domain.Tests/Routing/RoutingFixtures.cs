using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;

namespace LeadFunctions.Domain.Tests.Routing;

internal static class RoutingFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlySet<string> Nobody = new HashSet<string>();

    public static RoutingRule Rule(string field, RuleOp op, params string[] values) => new() { Field = field, Op = op, Values = [.. values] };

    public static Team Team(string name, int sequence = 0, bool isDefault = false, int createdMinutes = 0, string? id = null, params RoutingRule[] rules) => new()
    {
        Id = id ?? "team-" + name.ToLowerInvariant(),
        Name = name,
        Sequence = sequence,
        Default = isDefault,
        Rules = [.. rules],
        CreatedAt = T0.AddMinutes(createdMinutes),
    };

    public static Lead Lead(Action<Lead>? with = null)
    {
        var lead = new Lead { Id = "lead-1", Type = LeadType.Lead, Status = LeadStatus.Active, Name = "Lead 1", CreatedAt = T0, UpdatedAt = T0 };
        with?.Invoke(lead);
        return lead;
    }

    public static MemberLoad Member(string id, int load = 0, int capacity = 0, DateTimeOffset? lastAssignedAt = null, Action<Salesperson>? with = null)
    {
        var person = new Salesperson { Id = id, Name = id.ToUpperInvariant(), Capacity = capacity, CreatedAt = T0 };
        with?.Invoke(person);
        return new MemberLoad(person, load, lastAssignedAt);
    }
}
