using System.Text.Json.Serialization;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Functions.Features.Merges;

// The bodies the functions read and write that are not domain records: the functions serialize
// these very types and the OpenAPI document describes them, so the two cannot drift apart.

/// <summary>POST /merges.</summary>
public sealed record MergeRequest(
    List<string>? LeadIds, string? SurvivorId, Dictionary<string, string>? FieldSources, string? UserId, string? TeamId, bool? DryRun);

/// <summary>
/// POST /merges: the merge done (201, with its mergeId), or for a dry run (200) what it would make
/// and the record each field would come from (sources). One shape for both, so that a client reads
/// either answer with one type.
/// </summary>
public sealed record MergeResult(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MergeId,
    string SurvivorId,
    IReadOnlyList<string> MergedIds,
    Lead Lead,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Sources);

/// <summary>POST /merges/{mergeId}/undo.</summary>
public sealed record UndoRequest(bool? Force);

/// <summary>What POST /merges answers: the merge's id (none for a dry run), the survivor, the merged ids, the result and each field's source.</summary>
public sealed record MergeResponse(string? MergeId, string SurvivorId, IReadOnlyList<string> MergedIds, Lead Lead, IReadOnlyDictionary<string, string> Sources);
