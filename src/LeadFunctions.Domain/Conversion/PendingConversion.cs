using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Conversion;

/// <summary>
/// Written on the requested record before a merge on convert: the merge and the conversion are
/// two operations, and a retry after a crash between them must finish the second, not refuse it.
/// <see cref="Actor"/> is who asked: the conversion a retry finishes is theirs, whoever retries
/// (null on marks written before actors were recorded).
/// </summary>
public sealed record PendingConversion(CustomerChoice Choice, string? UserId, string? TeamId, List<string> MergeWith, Actor? Actor = null);
