using LeadFunctions.Domain.Access;

namespace LeadFunctions.Functions.Features.Access;

/// <summary>GET /me: who the caller is to the API (a person, an API key or an application), its role, and the email it signed in with.</summary>
public sealed record Me(Actor Actor, Role Role, string? Email);
