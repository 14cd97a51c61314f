using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Model;

public sealed class Salesperson : IDirectoryRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The sign-in email: a person whose token names it acts as this salesperson (SPEC 10).</summary>
    public string? Email { get; set; }

    /// <summary>The Entra object id (oid) this salesperson signs in with, when the email may change.</summary>
    public string? ObjectId { get; set; }

    /// <summary>The role when the token carries none (no app role assigned in Entra); null: no role from the directory.</summary>
    public Role? Role { get; set; }

    /// <summary>False cuts the person off at their next request; their records stay theirs.</summary>
    public bool Active { get; set; } = true;

    /// <summary>How many records the rules give them per rolling 30 days (SPEC 11); 0: no limit.</summary>
    public int Capacity { get; set; }

    /// <summary>Away until then: the rules pass them by, and records waiting for them are assigned once they are back.</summary>
    public DateTimeOffset? AwayUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
