using LeadFunctions.Domain.Model;

namespace LeadFunctions.Functions.Features.Merges;

/// <summary>What POST /merges answers: the merge's id (none for a dry run), the survivor, the merged ids, the result and each field's source.</summary>
public sealed record MergeResponse(string? MergeId, string SurvivorId, IReadOnlyList<string> MergedIds, Lead Lead, IReadOnlyDictionary<string, string> Sources);
