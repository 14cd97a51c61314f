using LeadFunctions.Domain.Access;

namespace LeadFunctions.Functions.Features.ApiKeys;

/// <summary>POST /apikeys: a name people recognise (1 to 100 characters) and the key's role.</summary>
public sealed record CreateApiKeyRequest(string? Name, string? Role);

/// <summary>A key just made: its record and the key itself, which is never shown again.</summary>
public sealed record CreatedApiKey(string Id, string Name, Role Role, DateTimeOffset CreatedAt, Actor CreatedBy, DateTimeOffset? LastUsedAt, string Key);
