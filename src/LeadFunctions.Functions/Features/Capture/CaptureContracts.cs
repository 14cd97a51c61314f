namespace LeadFunctions.Functions.Features.Capture;

// The bodies the functions read and write that are not domain records: the functions serialize
// these very types and the OpenAPI document describes them, so the two cannot drift apart.

/// <summary>POST /capture: the lead's id as soon as it is stored (or the first lead's, for a repeat).</summary>
public sealed record CaptureReceipt(string Id, string Status);
