using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Events;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Functions.Features.Routing;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>A change announced to ingest has not been written yet: the message is tried again later.</summary>
public sealed class ChangeNotLandedException(string leadId)
    : Exception($"The change announced for record {leadId} is not written yet; the check waits for it.");

/// <summary>
/// Duplicate detection on ingest (SPEC 4.2). For one record: move it in the index to its current
/// keys, find the records sharing a key, keep those the rules match, write the similar-record edges
/// on both sides (so that a lookup is one read of the record's partition), then record the check
/// on the record with a duplicate-flagged log entry in the same transaction. A neighbour whose
/// own check no longer agrees with its edges is queued for a check of its own.
/// Every step can run twice: index and edge writes are upserts and deletes, and the final
/// transaction is conditional on the record's version and marks the check as applied.
/// </summary>
public sealed class IngestProcessor(
    LeadStore leads,
    DirectoryStore directory,
    MatchIndex index,
    MatchKeys matchKeys,
    PairScorer scorer,
    MergeRecovery merges,
    MergeWatchdog watchdog,
    Neighbours neighbours,
    SimilarEdges edges,
    LeadList list,
    OutboxDispatcher events,
    Assigner assigner,
    WriteFaults faults,
    TimeProvider clock,
    ILogger<IngestProcessor> logger)
{
    /// <summary>
    /// Deliveries after which a change that has still not landed is taken as never made (its
    /// request failed or died before writing); the record is then checked as it is.
    /// </summary>
    public const int DeliveriesToAwaitChange = 3;

    /// <summary>How long a check looks again for an announced change before putting its message back (0.75 s in all).</summary>
    private static readonly TimeSpan[] ChangeWaits = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)];

    /// <summary>
    /// The most neighbours a check writes its pair onto (SPEC 4.2): all of them up to this many,
    /// else the team's newest; the key's relink writes the rest, so a burst of captures sharing a
    /// key costs a bounded number of writes each, not one per record already there.
    /// </summary>
    public const int MaxNeighbourWrites = 20;

    /// <summary>Logged when a record's own check is done (its count final): what latency is measured from.</summary>
    public static readonly EventId Checked = new(1101, nameof(Checked));

    public async Task ProcessAsync(CheckMessage message, long dequeueCount, CancellationToken ct)
    {
        await Retry.OnConflictAsync(async ct =>
        {
            await ProcessOnceAsync(message, dequeueCount, ct);
            // The check is the record's wake-up for its events too (its capture, its flagging, a
            // change announced to it): delivered in this execution, not in one more.
            await events.DispatchOrHandOverAsync(message.LeadId, ct);
        }, ct,
            // The record changed while it was checked: check it again as it is now.
            onRetry: _ => logger.LogInformation("Record {LeadId} changed during its check; checking again", message.LeadId));
    }

    /// <summary>
    /// The request that announced the change writes it right after sending: a check that came
    /// first usually sees it land within a moment, for a read or two, where putting the message
    /// back costs another execution a second later.
    /// </summary>
    private async Task<bool> ChangeLandsSoonAsync(string leadId, string basedOn, CancellationToken ct)
    {
        foreach (var wait in ChangeWaits)
        {
            // Real time, whatever the clock: it waits for another process's write.
            await Task.Delay(wait, ct);
            if (await leads.ReadAsync(leadId, ct) is not { } row || row.Version != basedOn)
            {
                return true;
            }
        }
        return false;
    }

    private async Task ProcessOnceAsync(CheckMessage message, long dequeueCount, CancellationToken ct)
    {
        var head = await leads.ReadHeadAsync(message.LeadId, ct);
        if (head is null && message.Snapshot is { } snapshot && !await StoreSnapshotAsync(snapshot, message.SnapshotLog ?? [], ct))
        {
            return;
        }
        head ??= await leads.ReadHeadAsync(message.LeadId, ct);
        if (head is null)
        {
            logger.LogInformation("Record {LeadId} no longer exists; nothing to check", message.LeadId);
            return;
        }
        if (head.Row.MergeLock is { } hold)
        {
            // Checked once the merge holding it is done: finish (or roll back) a dead one now, and
            // come back later to a running one, so that the message is not spent meanwhile.
            try
            {
                await merges.FreeAsync(message.LeadId, hold, ct);
            }
            catch (ConflictException)
            {
                await watchdog.LaterAsync(message, ct);
                return;
            }
            throw new ConcurrencyException(message.LeadId);
        }
        if (head.Row.LastCheckId == message.CheckId)
        {
            // Done already; listed again in case the run that did it died before listing it.
            await leads.ListAsync([head.Row], ct);
            return;
        }
        if (message.BasedOn is { } basedOn && head.Row.Version == basedOn && dequeueCount < DeliveriesToAwaitChange)
        {
            if (await ChangeLandsSoonAsync(message.LeadId, basedOn, ct))
            {
                // Landed while the check waited: check the record as it is now.
                throw new ConcurrencyException(message.LeadId);
            }
            throw new ChangeNotLandedException(message.LeadId);
        }

        var lead = head.Lead;
        var stored = head.Row;
        var settings = await directory.GetSettingsCachedAsync(ct);
        var companies = new Dictionary<string, string?>(StringComparer.Ordinal);
        var keys = matchKeys.Of(lead, await neighbours.CompanyOfAsync(lead.CustomerId, companies, ct));
        var before = stored.IndexedKeys;
        var anonymous = stored.Anonymous;
        if (keys.Except(before).Any() || anonymous)
        {
            // Remember the new keys (and the anonymous form) before indexing them, so that an
            // attempt that dies (or loses the final write) leaves no index row that a later check
            // would not remove. Conditional on the version read: rows of the anonymous form are
            // never written once a person has acted on the record.
            stored = await leads.SetIndexedKeysAsync(stored, [.. before.Union(keys)], anonymous, ct);
        }
        // Indexed before the index is read: of two similar records checked at the same moment, at
        // least one sees the other, and it writes the pair on both sides.
        await index.SyncAsync(lead.Id, before, keys, anonymous, stored.IndexedAnonymous, ct);
        await faults.AtAsync("ingest:indexed");

        // Every record this check writes (or finds as it should be) is listed at the end, the copies
        // of one list partition in one transaction: a neighbour's flag in lists is its record's.
        var written = new ConcurrentBag<EdgeWrite>();
        var (candidateIds, crowded) = await neighbours.CandidatesAsync(lead.Id, keys, before, written, ct);
        candidateIds.ExceptWith(head.Dismissed);
        var (matches, stale) = await neighbours.MatchAsync(lead, keys, candidateIds, settings.DuplicateRules, crowded, companies, ct);

        // Neighbours first, one small write each: the record is marked done only once every one of
        // them it writes lists it, so that a check that dies half-way is done again, never taken as
        // done. Past MaxNeighbourWrites neighbours, it writes onto the team's newest records only
        // and leaves the pairs on the others to the key's relink: in a burst of captures sharing a
        // key, checks writing onto the same newest captures would mostly collide and write again.
        var subject = new Subject(lead, keys, settings.DuplicateRules, crowded, companies, message.CheckId);
        var kept = matches.Select(m => m.Head.Lead.Id).ToHashSet(StringComparer.Ordinal);
        var writeNow = matches.Count <= MaxNeighbourWrites ? matches
            : [.. matches.Where(m => !m.Head.Row.Anonymous).OrderByDescending(m => m.Head.Lead.Id, StringComparer.Ordinal).Take(MaxNeighbourWrites)];
        var deferred = matches.Except(writeNow).ToList();
        Neighbours.Collect(written, await Task.WhenAll(
            writeNow.Select(m => edges.ApplyAsync(m.Head.Lead.Id, m.Head, other => LinkAsync(subject, other, ct), ct))
                .Concat(head.Edges.Select(e => e.Id).Union(stale).Where(id => !kept.Contains(id))
                    .Select(gone => edges.ApplyAsync(gone, null, _ => Task.FromResult(Unlink(lead.Id)), ct)))));
        if (deferred.Count > 0)
        {
            // Before the record is marked done: a check that dies after this write is done again.
            var waiting = deferred.SelectMany(m => m.On).ToHashSet();
            await neighbours.DeferRelinkAsync(lead.Id, keys.Where(k => waiting.Contains(k.Rule) && !crowded.Contains(k)), ct);
        }

        var ownFirst = head with { Row = stored };
        var own = await edges.ApplyOwnAsync(ownFirst, async own =>
        {
            if (!ReferenceEquals(own, ownFirst))
            {
                // A neighbour's check wrote here meanwhile; anything else means the record itself
                // changed, and the check starts again on what it is now.
                var now = matchKeys.Of(own.Lead, await neighbours.CompanyOfAsync(own.Lead.CustomerId, companies, ct));
                if (!now.ToHashSet().SetEquals(keys) || own.Row.MergeLock is not null || own.Row.Anonymous != anonymous)
                {
                    throw new ConcurrencyException(lead.Id);
                }
            }
            var previous = own.Row.CheckedSimilar(own.Lead);
            var logs = matches.Any(m => !previous.Contains(m.Head.Lead.Id))
                ? new List<LogEntry> { FlaggedEntries.Of(message.CheckId, lead.Id, clock.GetUtcNow(), matches.Select(m => (m.Head.Lead, m.On))) }
                : [];
            // Routed after its duplicate check, by its first check only (SPEC 11): a record stored
            // before any rule existed waits for POST /assignments, not for its next change.
            if (own.Row.LastCheckId is null
                && await assigner.RouteNewAsync(own.Lead, matches.Select(m => (m.Head.Lead, m.On)), AssignedEntryId(message.CheckId), dequeueCount > 1, ct) is { } assigned)
            {
                logs.Add(assigned);
            }
            return new EdgeChange(
                [.. matches.Select(m => SimilarRecord.Of(m.Head.Lead, m.On, m.Score))],
                [.. head.Edges.Select(e => e.Id).Where(id => !kept.Contains(id))],
                logs,
                new CompletedCheck(keys, message.CheckId, anonymous));
        }, ct);
        // A check that linked on a domain or name while another record made it crowded may have
        // written after that record dropped the rule (on its neighbours, or here, whose edges this
        // last write made): read the key again once everything is written. Whichever of the two
        // wrote last sees the other: if the key is crowded now, this check takes the rule back from
        // itself and the records it linked; if not, the record that crowds it drops it later.
        var linkedOn = matches.SelectMany(m => m.On).Where(Similarity.Crowds).ToHashSet();
        foreach (var key in keys.Where(k => linkedOn.Contains(k.Rule) && !crowded.Contains(k)))
        {
            if (Neighbours.IsCrowded(key, await index.ReadKeyAsync(MatchIndex.PartitionOf(key), Similarity.CrowdedDomainThreshold, ct)))
            {
                Neighbours.Collect(written, await Task.WhenAll(matches.Where(m => m.On.Contains(key.Rule)).Select(m => m.Head.Lead.Id).Append(lead.Id)
                    .Select(id => edges.ApplyAsync(id, null, member => Task.FromResult(neighbours.DropCrowded(key, member)), ct))));
            }
        }
        Neighbours.Collect(written, [own]);
        // Where a process dying after the check is written, before it is listed, leaves a record
        // that only a retry lists (tests die here).
        await faults.AtAsync("ingest:checked");
        await list.ProjectAsync(written.Select(w => w.Listing), ct);
        logger.LogInformation(Checked, "Record {LeadId} checked: {SimilarCount} similar", lead.Id,
            (own?.Lead ?? ownFirst.Lead).DuplicateCheck.SimilarCount);
    }


    /// <summary>The id of the check's assigned entry: derived from the check's, so a second run writes the same entry.</summary>
    private string AssignedEntryId(string checkId) => Ids.IsWellFormed(checkId) ? Ids.Derived(checkId, 1) : Ids.New(clock.GetUtcNow());

    /// <summary>The record being checked, as its neighbours' writes need it.</summary>
    private sealed record Subject(Lead Lead, IReadOnlyList<MatchKey> Keys, DuplicateRules Rules,
        HashSet<MatchKey> Crowded, Dictionary<string, string?> Companies, string CheckId);

    /// <summary>
    /// The neighbour gains (or keeps, with a fresh summary) its edge to the record, judged on the
    /// neighbour as it is now; one that no longer matches loses it instead.
    /// </summary>
    private async Task<EdgeChange> LinkAsync(Subject subject, LeadHead other, CancellationToken ct)
    {
        var score = scorer.Score(other.Lead, subject.Lead);
        var on = other.Dismissed.Contains(subject.Lead.Id)
            ? []
            : Similarity.MatchedOn(subject.Keys, matchKeys.Of(other.Lead, await neighbours.CompanyOfAsync(other.Lead.CustomerId, subject.Companies, ct)),
                subject.Rules, subject.Crowded.Contains, score);
        if (on.Count == 0)
        {
            return Unlink(subject.Lead.Id);
        }
        var logs = other.Lead.DuplicateCheck.SimilarIds.Contains(subject.Lead.Id) || other.Edges.Any(e => e.Id == subject.Lead.Id)
            ? new List<LogEntry>()
            : [FlaggedEntries.Of(subject.CheckId, other.Lead.Id, clock.GetUtcNow(), [(subject.Lead, on)], foundBy: subject.Lead.Id)];
        return new EdgeChange([SimilarRecord.Of(subject.Lead, on, score)], [], logs);
    }

    private static EdgeChange Unlink(string id) => new([], [id], []);


    /// <summary>Stores a record whose request died after queueing it. False when it cannot be stored.</summary>
    private async Task<bool> StoreSnapshotAsync(Lead snapshot, IReadOnlyList<LogEntry> log, CancellationToken ct)
    {
        try
        {
            await leads.InsertAsync(snapshot, log, ct);
            return true;
        }
        catch (Exception e) when (e is RecordTooLargeException || e is Azure.RequestFailedException { Status: 400 })
        {
            // Its request answered an error for the same reason and the client knows it was not stored.
            logger.LogWarning(e, "Record {LeadId} from an ingest message cannot be stored; dropping the message", snapshot.Id);
            return false;
        }
    }
}
