namespace LeadFunctions.Domain.Conversion;

/// <summary>
/// Written on the requested record before a merge on convert: the merge and the conversion are
/// two operations, and a retry after a crash between them must finish the second, not refuse it.
/// </summary>
public sealed record PendingConversion(CustomerChoice Choice, string? UserId, string? TeamId, List<string> MergeWith);
