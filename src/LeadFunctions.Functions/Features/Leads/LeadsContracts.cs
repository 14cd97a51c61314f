using LeadFunctions.Domain.Model;

namespace LeadFunctions.Functions.Features.Leads;

// The bodies the functions read and write that are not domain records: the functions serialize
// these very types and the OpenAPI document describes them, so the two cannot drift apart.

/// <summary>GET /leads/{id}/similar.</summary>
public sealed record SimilarList(int Count, IReadOnlyList<SimilarRecord> Items);

/// <summary>POST /leads/{id}/lose.</summary>
public sealed record LoseRequest(string? Reason);

/// <summary>POST /leads/{id}/notes.</summary>
public sealed record NoteRequest(string? Message);
