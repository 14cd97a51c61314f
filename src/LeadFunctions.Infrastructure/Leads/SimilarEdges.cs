using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>The check that ends in this write: the record's own ingest marks itself done.</summary>
/// <param name="IndexedAnonymous">Whether the record's index rows are of the anonymous form (<see cref="MatchIndex.RowOf"/>).</param>
public sealed record CompletedCheck(IReadOnlyList<MatchKey> Keys, string CheckId, bool IndexedAnonymous);

/// <summary>What one write to a record's partition changes among its similar-record edges.</summary>
public sealed record EdgeChange(
    IReadOnlyList<SimilarRecord> Upserts,
    IReadOnlyCollection<string> Deletes,
    IReadOnlyList<LogEntry> Logs,
    CompletedCheck? Check = null)
{
    public static readonly EdgeChange None = new([], [], []);
}

/// <summary>A record as an edge write left it (or as read, when there was nothing to write), and how to list it.</summary>
public sealed record EdgeWrite(Lead Lead, LeadList.Listing Listing);

/// <summary>
/// The one writer of similar-record edges (SPEC 4.2). Every write of edges in a record's partition
/// recomputes the record's <c>duplicateCheck</c> (count and ids) from the edges it leaves, in one
/// transaction conditional on the record's version: the count can never disagree with the edges,
/// and a record checked by its own ingest stays right while its neighbours' checks add or remove
/// themselves (one small write each, never a re-check). A record that changed meanwhile is read
/// again and the change decided again on what it is now. The caller lists what was written, the
/// copies of one check together (see <see cref="LeadList.ProjectAsync(IEnumerable{LeadList.Listing}, CancellationToken)"/>).
/// </summary>
public sealed class SimilarEdges(StorageClients clients, LeadStore leads, IngestQueue queue, TimeProvider clock)
{
    private const int MaxAttempts = 24;

    /// <summary>The most rows a Table transaction takes.</summary>
    private const int MaxActions = 100;

    /// <summary>
    /// Applies <paramref name="decide"/> to the record's partition, starting from <paramref name="head"/>
    /// when the caller has read it. A missing or merged record is left alone; a record held by a
    /// merge gets a check of its own once the merge is done (the merge rewrites its edges anyway).
    /// </summary>
    /// <returns>The record as written (or as read, when nothing needed writing), or null when it was left alone.</returns>
    public Task<EdgeWrite?> ApplyAsync(string id, LeadHead? head, Func<LeadHead, Task<EdgeChange>> decide, CancellationToken ct) =>
        ApplyAsync(id, head, decide, own: false, ct);

    /// <summary>
    /// The record's own check (merged records included: a tombstone's check removes its edges).
    /// <paramref name="decide"/> throws <see cref="ConcurrencyException"/> when the record itself
    /// changed, so that the check starts again.
    /// </summary>
    public Task<EdgeWrite?> ApplyOwnAsync(LeadHead head, Func<LeadHead, Task<EdgeChange>> decide, CancellationToken ct) =>
        ApplyAsync(head.Lead.Id, head, decide, own: true, ct);

    private async Task<EdgeWrite?> ApplyAsync(string id, LeadHead? head, Func<LeadHead, Task<EdgeChange>> decide, bool own, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            if (head is { EdgesRead: false })
            {
                head = null;
            }
            head ??= await leads.ReadHeadAsync(id, ct);
            if (head is null || (!own && head.Lead.Status == LeadStatus.Merged))
            {
                return null;
            }
            if (!own && head.Row.MergeLock is not null)
            {
                await queue.CheckAsync([id], ct);
                return null;
            }
            var change = Effective(head, await decide(head));
            if (change is null)
            {
                // Listed as it is all the same: a check done again after dying before it listed
                // what it wrote finds nothing to write.
                return new EdgeWrite(head.Lead, LeadList.Listing.Of(head.Row));
            }
            return await WriteAsync(head, change, own, ct);
        }, ct, attempts: MaxAttempts,
            conflict: e => e is TableTransactionFailedException { Status: 412 or 404 },
            // The record changed (or an edge went) meanwhile: decide again on what it is now,
            // after a short random pause so that checks of one group stop colliding.
            onRetry: _ => head = null,
            pause: attempt => TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(1, 4 * attempt + 2)));

    /// <summary>The change without what is already so; null when nothing is left to write.</summary>
    private static EdgeChange? Effective(LeadHead head, EdgeChange change)
    {
        var existing = head.Edges.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var upserts = change.Upserts.Where(u => !existing.TryGetValue(u.Id, out var e) || !Same(e, u)).ToList();
        var deletes = change.Deletes.Where(existing.ContainsKey).ToList();
        var effective = change with { Upserts = upserts, Deletes = deletes };
        if (change.Check is { } check)
        {
            var unchanged = upserts.Count == 0 && deletes.Count == 0 && change.Logs.Count == 0
                && head.Lead.DuplicateCheck.Status == DuplicateCheckStatus.Done
                && head.Lead.DuplicateCheck.SimilarIds.ToHashSet(StringComparer.Ordinal).SetEquals(SimilarIds(head, effective))
                && head.Row.IndexedKeys.ToHashSet().SetEquals(check.Keys)
                && head.Row.IndexedAnonymous == check.IndexedAnonymous;
            // Leaving a checked record alone keeps its version (and clients' If-Match) valid.
            return unchanged ? null : effective;
        }
        return upserts.Count == 0 && deletes.Count == 0 ? null : effective;
    }

    private async Task<EdgeWrite> WriteAsync(LeadHead head, EdgeChange change, bool own, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var lead = head.Lead;
        var ids = SimilarIds(head, change);
        var done = change.Check is not null || lead.DuplicateCheck.Status == DuplicateCheckStatus.Done;
        lead.DuplicateCheck = new DuplicateCheck
        {
            Status = done ? DuplicateCheckStatus.Done : DuplicateCheckStatus.Pending,
            SimilarCount = ids.Count,
            SimilarIds = ids,
            CheckedAt = done ? clock.GetUtcNow() : null,
        };
        var entity = LeadRows.ToEntity(lead, head.Row.Entity, change.Check?.Keys, change.Check?.CheckId, indexedAnonymous: change.Check?.IndexedAnonymous);
        if (change.Check is not null)
        {
            entity[LeadRows.CheckedSimilarColumn] = string.Join(' ', ids);
        }
        var record = new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, head.Row.ETag);
        var rows = change.Upserts.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace, LeadRows.Edge(lead.Id, u)))
            .Concat(change.Deletes.Select(d => new TableTransactionAction(TableTransactionActionType.Delete,
                new TableEntity(lead.Id, StorageNames.EdgePrefix + d), ETag.All)))
            .Concat(leads.LogActions(entity, lead, change.Logs, head.Row.Entity))
            .ToList();
        // A group larger than one transaction (a shared email or phone past 99 records) has its
        // extra edges written first, a transaction per 100; the record's count follows them in the last.
        var overflow = rows.Count - (MaxActions - 1);
        if (overflow > 0)
        {
            await leads.SubmitAsync([.. rows.Take(overflow)], ct);
            rows = rows.Skip(overflow).ToList();
        }
        var response = await clients.Leads.SubmitTransactionAsync([record, .. rows], ct);
        var version = response.Value[0].Headers.ETag ?? ETag.All;
        lead.Version = version.ToString();
        // Listed by the caller, with the other records of the check (a capture's first listing is
        // its own check's, or a neighbour's that found it first).
        // A check may move the record (routing gives it a team and salesperson): the copies it leaves go.
        return new EdgeWrite(lead, new LeadList.Listing(entity, version,
            LeadList.PartitionsOf(head.Row.Entity).Except(LeadList.PartitionsOf(entity), StringComparer.Ordinal).ToList()));
    }

    /// <summary>The record's similar ids once the change is written: its edges, less the dismissed pairs.</summary>
    private static List<string> SimilarIds(LeadHead head, EdgeChange change) =>
        head.Edges.Select(e => e.Id)
            .Except(change.Deletes, StringComparer.Ordinal)
            .Union(change.Upserts.Select(u => u.Id), StringComparer.Ordinal)
            .Where(i => !head.Dismissed.Contains(i))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static readonly IReadOnlyList<MatchRule> NoRules = [];

    private static readonly IReadOnlyList<string> NoReasons = [];

    // Records compare their lists by reference: the lists are compared by their items.
    private static bool Same(SimilarRecord a, SimilarRecord b) =>
        a with { MatchedOn = NoRules, Reasons = NoReasons } == b with { MatchedOn = NoRules, Reasons = NoReasons }
        && a.MatchedOn.SequenceEqual(b.MatchedOn) && (a.Reasons ?? NoReasons).SequenceEqual(b.Reasons ?? NoReasons);
}
