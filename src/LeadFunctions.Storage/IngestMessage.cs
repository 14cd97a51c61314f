using LeadFunctions.Domain.Model;

namespace LeadFunctions.Storage;

/// <summary>
/// "Check this record for similar ones." <paramref name="CheckId"/> makes handling idempotent: a
/// record remembers the last check it applied. A new record travels with its first rows
/// (<paramref name="Snapshot"/> and <paramref name="SnapshotLog"/>) because the message is sent
/// before the record is stored: if the process dies in between, ingest stores it.
/// </summary>
public sealed record IngestMessage(string LeadId, string CheckId, Lead? Snapshot = null, IReadOnlyList<LogEntry>? SnapshotLog = null);
