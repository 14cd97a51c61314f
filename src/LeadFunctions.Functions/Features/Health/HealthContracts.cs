namespace LeadFunctions.Functions.Features.Health;

// The bodies the functions read and write that are not domain records: the functions serialize
// these very types and the OpenAPI document describes them, so the two cannot drift apart.

/// <summary>GET /health.</summary>
public sealed record HealthReport(string Status, string Storage, string Tables, string Queues, IReadOnlyList<string> Unreachable);
