namespace LeadFunctions.Functions.Features.Erasure;

// The bodies the functions read and write that are not domain records: the functions serialize
// these very types and the OpenAPI document describes them, so the two cannot drift apart.

/// <summary>POST /erasures: the person, by email, phone or both.</summary>
public sealed record ErasureRequest(string? Email, string? Phone);
