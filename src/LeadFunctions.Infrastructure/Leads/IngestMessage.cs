using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// "Check this record for similar ones." Messages are sent before the change they announce is
/// written, so that a process dying in between never leaves a change unchecked:
/// <list type="bullet">
/// <item><paramref name="CheckId"/> makes handling idempotent: a record remembers the last check it applied.</item>
/// <item>A new record travels with its first rows (<paramref name="Snapshot"/>, <paramref name="SnapshotLog"/>):
/// if the record is missing, ingest stores it.</item>
/// <item>A change names the version it was made on (<paramref name="BasedOn"/>): while the record is
/// still at that version the change has not landed yet, and the check waits for it.</item>
/// <item>A message naming a merge (<paramref name="MergeId"/>) is the merge's own watchdog, sent
/// delayed when it starts: it finishes or rolls back a merge whose process died.</item>
/// <item>A sweep (<paramref name="Sweep"/>, the continuation of the list, empty at the start)
/// names no record: it queues a check of one page of records and a sweep of the next page, so that
/// a duplicate rule switched on reaches records stored before, in the background.</item>
/// <item><paramref name="Attempt"/> counts the tries of a check that failed: it is sent again later
/// (waiting twice as long each time) until the record is marked failed.</item>
/// </list>
/// </summary>
public sealed record IngestMessage(
    string LeadId,
    string CheckId,
    Lead? Snapshot = null,
    IReadOnlyList<LogEntry>? SnapshotLog = null,
    string? BasedOn = null,
    string? MergeId = null,
    string? Sweep = null,
    int Attempt = 0)
{
    /// <summary>A check of one record (not a rule sweep, nor a merge's watchdog).</summary>
    public bool IsCheck => Sweep is null && MergeId is null;

    public static IngestMessage SweepFrom(string? continuationToken) => new("", Ids.New(), Sweep: continuationToken ?? "");
}
