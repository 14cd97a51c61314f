using System.Text.Json.Serialization;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Functions.Http;

// The bodies the functions read and write that are not domain records: the functions serialize
// these very types and the OpenAPI document describes them, so the two cannot drift apart.

/// <summary>GET /leads/{id}/similar.</summary>
public sealed record SimilarList(int Count, IReadOnlyList<SimilarRecord> Items);

/// <summary>POST /capture: the lead's id as soon as it is stored (or the first lead's, for a repeat).</summary>
public sealed record CaptureReceipt(string Id, string Status);

/// <summary>POST /leads/{id}/lose.</summary>
public sealed record LoseRequest(string? Reason);

/// <summary>POST /leads/{id}/notes.</summary>
public sealed record NoteRequest(string? Message);

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

/// <summary>POST /conversions.</summary>
public sealed record BulkConvertResponse(IReadOnlyList<Features.Conversion.BulkConvertResult> Results);

/// <summary>GET /health.</summary>
public sealed record HealthReport(string Status, string Storage, string Tables, string Queues, IReadOnlyList<string> Unreachable);
