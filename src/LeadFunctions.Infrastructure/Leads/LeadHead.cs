using LeadFunctions.Domain.Model;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>The lead's partition as ingest and the similar-record lookup read it: one range query.</summary>
/// <param name="EdgesRead">False for a head built from the record row alone (<see cref="RecordOnly"/>): its edges and dismissals were not read.</param>
public sealed record LeadHead(Lead Lead, StoredLead Row, IReadOnlyList<SimilarRecord> Edges, IReadOnlySet<string> Dismissed, bool EdgesRead = true)
{
    /// <summary>
    /// The record without its edges: what judging a candidate needs, one row instead of the
    /// partition when a key holds many records, each with a pair per other record.
    /// </summary>
    public static LeadHead RecordOnly(StoredLead row) => new(row.ToLead(), row, [], new HashSet<string>(), EdgesRead: false);
}
