using LeadFunctions.Domain.Access;

namespace LeadFunctions.Functions.Features.Access;

/// <summary>GET /me: who the credential is, as changes will name them, and their role.</summary>
public sealed record Me(Actor Actor, Role Role, string? Email);
