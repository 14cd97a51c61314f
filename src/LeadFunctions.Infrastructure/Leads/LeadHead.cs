using LeadFunctions.Domain.Model;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>The lead's partition as ingest and the similar-record lookup read it: one range query.</summary>
public sealed record LeadHead(Lead Lead, StoredLead Row, IReadOnlyList<SimilarRecord> Edges, IReadOnlySet<string> Dismissed);
