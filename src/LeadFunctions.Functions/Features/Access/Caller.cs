using LeadFunctions.Domain.Access;

namespace LeadFunctions.Functions.Features.Access;

/// <summary>Who sent a request and what they may do: a person, an API key, or an Entra application.</summary>
public sealed record Caller(Actor Actor, Role Role, string? Email)
{
    public bool Has(Role required) => Role >= required;
}
