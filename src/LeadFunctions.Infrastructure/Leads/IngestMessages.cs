using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// A message of the ingest queue. One queue carries four jobs, one type each, which the queue
/// function dispatches on; a message says which it is by the field only it has (a sweep's
/// <c>sweep</c>, a watchdog's <c>mergeId</c>, a relink's <c>relink</c>), as messages did before they had types of their own.
/// </summary>
public abstract record IngestJob
{
    /// <summary>The job a queue message holds.</summary>
    /// <exception cref="InvalidDataException">The message is not one.</exception>
    public static IngestJob Parse(string json)
    {
        try
        {
            var node = JsonNode.Parse(json) as JsonObject;
            IngestJob? job = node?["sweep"] is JsonValue ? node.Deserialize<SweepMessage>(JsonDefaults.Options)
                : node?["mergeId"] is JsonValue ? node.Deserialize<WatchdogMessage>(JsonDefaults.Options)
                : node?["relink"] is JsonValue ? node.Deserialize<RelinkMessage>(JsonDefaults.Options)
                : node?.Deserialize<CheckMessage>(JsonDefaults.Options);
            return job is not null && job.IsWellFormed ? job : throw new InvalidDataException("The ingest message names no record.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The ingest message is not JSON of a known job.", e);
        }
    }

    protected abstract bool IsWellFormed { get; }
}

/// <summary>
/// "Check this record for similar ones." Messages are sent before the change they announce is
/// written, so that a process dying in between never leaves a change unchecked:
/// <list type="bullet">
/// <item><paramref name="CheckId"/> makes handling idempotent: a record remembers the last check it applied.</item>
/// <item>Ids only: a message never carries the record (a queue, its poison queue above all, is where
/// an erasure cannot reach). <paramref name="Snapshot"/> and <paramref name="SnapshotLog"/> are read
/// only from messages queued before that, when a new record travelled with its first rows.</item>
/// <item>A change names the version it was made on (<paramref name="BasedOn"/>): while the record is
/// still at that version the change has not landed yet, and the check waits for it.</item>
/// <item><paramref name="Attempt"/> counts the tries of a check that failed: it is sent again later
/// (waiting twice as long each time) until the record is marked failed.</item>
/// </list>
/// </summary>
public sealed record CheckMessage(
    string LeadId,
    string CheckId,
    Lead? Snapshot = null,
    IReadOnlyList<LogEntry>? SnapshotLog = null,
    string? BasedOn = null,
    int Attempt = 0) : IngestJob
{
    protected override bool IsWellFormed => Ids.IsWellFormed(LeadId) && !string.IsNullOrEmpty(CheckId);
}

/// <summary>
/// A page of the rule sweep, from <paramref name="Sweep"/> (the continuation of the list, empty at
/// the start): it queues a check of one page of records and a sweep of the next page, so that a
/// duplicate rule switched on reaches records stored before, in the background.
/// With <paramref name="Rules"/>, it is the start of a sweep for those rules, queued at
/// <paramref name="QueuedAt"/> before the settings write that switches them on: it sweeps only
/// once that write has landed.
/// </summary>
public sealed record SweepMessage(string Sweep, IReadOnlyList<MatchRule>? Rules = null, DateTimeOffset? QueuedAt = null) : IngestJob
{
    public static SweepMessage From(string? continuationToken) => new(continuationToken ?? "");

    /// <summary>A sweep for rules about to be switched on, queued before the settings are written.</summary>
    public static SweepMessage For(IReadOnlyList<MatchRule> rules, DateTimeOffset queuedAt) => new("", rules, queuedAt);

    protected override bool IsWellFormed => Sweep is not null;
}

/// <summary>
/// A merge's own watchdog, sent delayed when the merge starts: it finishes or rolls back a merge
/// whose process died. <paramref name="LeadId"/> is the merge's survivor, for the logs.
/// </summary>
public sealed record WatchdogMessage(string LeadId, string MergeId) : IngestJob
{
    protected override bool IsWellFormed => Ids.IsWellFormed(MergeId);
}

/// <summary>
/// The relink of the key of rule <paramref name="Rule"/> that <paramref name="Relink"/> (a record)
/// marked (<see cref="RelinkMarkers"/>): it writes onto each record under the key the pairs the
/// checks left unwritten there. The message names a record and a rule, never a key, since keys
/// are made of personal data.
/// </summary>
public sealed record RelinkMessage(string Relink, MatchRule Rule) : IngestJob
{
    protected override bool IsWellFormed => Ids.IsWellFormed(Relink);
}
