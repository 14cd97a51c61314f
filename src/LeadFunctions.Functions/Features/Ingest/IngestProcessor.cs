using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Events;
using LeadFunctions.Functions.Features.Merges;
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
/// transaction is conditional on the record's ETag and marks the check as applied.
/// </summary>
public sealed class IngestProcessor(
    LeadStore leads,
    DirectoryStore directory,
    MatchIndex index,
    IngestQueue queue,
    MatchKeys matchKeys,
    MergeRecovery merges,
    SimilarEdges edges,
    LeadList list,
    OutboxDispatcher events,
    WriteFaults faults,
    TimeProvider clock,
    ILogger<IngestProcessor> logger)
{
    /// <summary>More records than this under one key are not read: such a key says little.</summary>
    private const int MaxMembersPerKey = 200;

    /// <summary>
    /// Deliveries after which a change that has still not landed is taken as never made (its
    /// request failed or died before writing); the record is then checked as it is.
    /// </summary>
    public const int DeliveriesToAwaitChange = 3;

    /// <summary>Logged when a record's own check is done (its count final): what latency is measured from.</summary>
    public static readonly EventId Checked = new(1101, nameof(Checked));

    /// <summary>Records a sweep message queues a check of (and so its execution's size).</summary>
    public const int SweepPageSize = 100;

    public async Task ProcessAsync(IngestMessage message, long dequeueCount, CancellationToken ct)
    {
        if (message.Sweep is { } token)
        {
            await SweepAsync(token, ct);
            return;
        }
        if (message.MergeId is { } mergeId)
        {
            await WatchMergeAsync(message, mergeId, ct);
            return;
        }
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

    private async Task ProcessOnceAsync(IngestMessage message, long dequeueCount, CancellationToken ct)
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
        if (LeadRows.MergeLockOf(head.Row) is { } hold)
        {
            // Checked once the merge holding it is done: finish (or roll back) a dead one now, and
            // come back later to a running one, so that the message is not spent meanwhile.
            try
            {
                await merges.FreeAsync(message.LeadId, hold, ct);
            }
            catch (ConflictException)
            {
                await LaterAsync(message, ct);
                return;
            }
            throw new ConcurrencyException(message.LeadId);
        }
        if (head.Row.GetString(LeadRows.LastCheckIdColumn) == message.CheckId)
        {
            // Done already; listed again in case the run that did it died before listing it.
            await list.ProjectAsync([new LeadList.Listing(head.Row, head.Row.ETag, [])], ct);
            return;
        }
        if (message.BasedOn is { } basedOn && head.Row.ETag.ToString() == basedOn && dequeueCount < DeliveriesToAwaitChange)
        {
            throw new ChangeNotLandedException(message.LeadId);
        }

        var lead = head.Lead;
        var etag = head.Row.ETag;
        var settings = await directory.GetSettingsCachedAsync(ct);
        var companies = new Dictionary<string, string?>(StringComparer.Ordinal);
        var keys = matchKeys.Of(lead, await CompanyOfAsync(lead.CustomerId, companies, ct));
        var before = LeadRows.IndexedKeys(head.Row);
        if (keys.Except(before).Any())
        {
            // Remember the new keys before indexing them, so that an attempt that dies (or loses
            // the final write) leaves no index row that a later check would not remove.
            etag = await leads.SetIndexedKeysAsync(lead.Id, [.. before.Union(keys)], etag, ct);
        }
        // Indexed before the index is read: of two similar records checked at the same moment, at
        // least one sees the other, and it writes the pair on both sides.
        await index.SyncAsync(lead.Id, before, keys, ct);
        await faults.AtAsync("ingest:indexed");

        // Every record this check writes (or finds as it should be) is listed at the end, the copies
        // of one list partition in one transaction: a neighbour's flag in lists is its record's.
        var written = new ConcurrentBag<EdgeWrite>();
        var (candidateIds, crowded) = await CandidatesAsync(lead.Id, keys, before, written, ct);
        candidateIds.ExceptWith(head.Dismissed);
        var matches = await MatchAsync(lead, keys, candidateIds, settings.DuplicateRules, crowded, companies, ct);

        // Neighbours first, one small write each: the record is marked done only once every one of
        // them lists it, so that a check that dies half-way is done again, never taken as done.
        var subject = new Subject(lead, keys, settings.DuplicateRules, crowded, companies, message.CheckId);
        var kept = matches.Select(m => m.Head.Lead.Id).ToHashSet(StringComparer.Ordinal);
        Collect(written, await Task.WhenAll(
            matches.Select(m => edges.ApplyAsync(m.Head.Lead.Id, m.Head, other => LinkAsync(subject, other, ct), ct))
                .Concat(head.Edges.Where(e => !kept.Contains(e.Id))
                    .Select(gone => edges.ApplyAsync(gone.Id, null, _ => Task.FromResult(Unlink(lead.Id)), ct)))));

        var ownFirst = head with { Row = WithETag(head.Row, etag) };
        var own = await edges.ApplyOwnAsync(ownFirst, async own =>
        {
            if (!ReferenceEquals(own, ownFirst))
            {
                // A neighbour's check wrote here meanwhile; anything else means the record itself
                // changed, and the check starts again on what it is now.
                var now = matchKeys.Of(own.Lead, await CompanyOfAsync(own.Lead.CustomerId, companies, ct));
                if (!now.ToHashSet().SetEquals(keys) || LeadRows.MergeLockOf(own.Row) is not null)
                {
                    throw new ConcurrencyException(lead.Id);
                }
            }
            var previous = LeadRows.CheckedSimilar(own.Row, own.Lead);
            var logs = matches.Any(m => !previous.Contains(m.Head.Lead.Id))
                ? new List<LogEntry> { FlaggedEntry(message.CheckId, lead.Id, clock.GetUtcNow(), matches.Select(m => (m.Head.Lead, m.On))) }
                : [];
            return new EdgeChange(
                [.. matches.Select(m => SimilarRecord.Of(m.Head.Lead, m.On))],
                [.. head.Edges.Select(e => e.Id).Where(id => !kept.Contains(id))],
                logs,
                new CompletedCheck(keys, message.CheckId));
        }, ct);
        // A check that linked on a domain or name while another record made it crowded may have
        // written after that record dropped the rule (on its neighbours, or here, whose edges this
        // last write made): read the key again once everything is written. Whichever of the two
        // wrote last sees the other: if the key is crowded now, this check takes the rule back from
        // itself and the records it linked; if not, the record that crowds it drops it later.
        var linkedOn = matches.SelectMany(m => m.On).Where(Similarity.Crowds).ToHashSet();
        foreach (var key in keys.Where(k => linkedOn.Contains(k.Rule) && !crowded.Contains(k)))
        {
            var (members, marked) = await index.ReadKeyAsync(MatchIndex.PartitionOf(key), Similarity.CrowdedDomainThreshold, ct);
            if (marked || Similarity.IsCrowded(members.Count))
            {
                Collect(written, await Task.WhenAll(matches.Where(m => m.On.Contains(key.Rule)).Select(m => m.Head.Lead.Id).Append(lead.Id)
                    .Select(id => edges.ApplyAsync(id, null, member => Task.FromResult(DropCrowded(key, member)), ct))));
            }
        }
        Collect(written, [own]);
        // Where a process dying after the check is written, before it is listed, leaves a record
        // that only a retry lists (tests die here).
        await faults.AtAsync("ingest:checked");
        await list.ProjectAsync(written.Select(w => w.Listing), ct);
        logger.LogInformation(Checked, "Record {LeadId} checked: {SimilarCount} similar", lead.Id,
            (own?.Lead ?? ownFirst.Lead).DuplicateCheck.SimilarCount);
    }

    private static void Collect(ConcurrentBag<EdgeWrite> into, IEnumerable<EdgeWrite?> writes)
    {
        foreach (var write in writes.OfType<EdgeWrite>())
        {
            into.Add(write);
        }
    }

    /// <summary>The record being checked, as its neighbours' writes need it.</summary>
    private sealed record Subject(Lead Lead, IReadOnlyList<MatchKey> Keys, DuplicateRules Rules,
        HashSet<MatchKey> Crowded, Dictionary<string, string?> Companies, string CheckId);

    /// <summary>
    /// The neighbour gains (or keeps, with a fresh summary) its edge to the record, judged on the
    /// neighbour as it is now; one that no longer matches loses it instead.
    /// </summary>
    private async Task<EdgeChange> LinkAsync(Subject subject, LeadHead other, CancellationToken ct)
    {
        var on = other.Dismissed.Contains(subject.Lead.Id)
            ? []
            : Similarity.MatchedOn(subject.Keys, matchKeys.Of(other.Lead, await CompanyOfAsync(other.Lead.CustomerId, subject.Companies, ct)),
                subject.Rules, subject.Crowded.Contains);
        if (on.Count == 0)
        {
            return Unlink(subject.Lead.Id);
        }
        var logs = other.Lead.DuplicateCheck.SimilarIds.Contains(subject.Lead.Id) || other.Edges.Any(e => e.Id == subject.Lead.Id)
            ? new List<LogEntry>()
            : [FlaggedEntry(subject.CheckId, other.Lead.Id, clock.GetUtcNow(), [(subject.Lead, on)], foundBy: subject.Lead.Id)];
        return new EdgeChange([SimilarRecord.Of(subject.Lead, on)], [], logs);
    }

    private static EdgeChange Unlink(string id) => new([], [id], []);

    /// <summary>
    /// A key that has just become crowded stops counting for the records already under it: each one
    /// drops the rule from its edges (and the edges that held on it alone), in one write.
    /// </summary>
    private EdgeChange DropCrowded(MatchKey crowdedKey, LeadHead member)
    {
        if (!matchKeys.Of(member.Lead, null).Contains(crowdedKey))
        {
            return EdgeChange.None;
        }
        var upserts = new List<SimilarRecord>();
        var deletes = new List<string>();
        foreach (var edge in member.Edges.Where(e => e.MatchedOn.Contains(crowdedKey.Rule)))
        {
            var rest = edge.MatchedOn.Where(r => r != crowdedKey.Rule).ToList();
            if (rest.Count == 0)
            {
                deletes.Add(edge.Id);
            }
            else
            {
                upserts.Add(edge with { MatchedOn = rest });
            }
        }
        return new EdgeChange(upserts, deletes, []);
    }

    private static TableEntity WithETag(TableEntity row, ETag etag)
    {
        row.ETag = etag;
        return row;
    }

    /// <summary>
    /// One page of the sweep: a check for each record (merged ones have no keys and are left out),
    /// then the sweep of the next page. A page handled twice only checks its records twice, which is harmless.
    /// </summary>
    private async Task SweepAsync(string token, CancellationToken ct)
    {
        var page = await leads.ScanRowsAsync(SweepPageSize, token.Length == 0 ? null : token, ct);
        // The sweep also lists every record it passes, which repairs (or first builds) the projection.
        await leads.ListAsync(page.Items, ct);
        await RecheckAsync(page.Items.Select(row => row.PartitionKey), ct);
        if (page.ContinuationToken is { } next)
        {
            await queue.SendAsync(IngestMessage.SweepFrom(next), ct);
        }
    }

    /// <summary>Puts the message back for when a running merge will be done (or count as dead), instead of spending a try.</summary>
    private Task LaterAsync(IngestMessage message, CancellationToken ct) =>
        queue.SendAsync(message, ct, merges.StaleAfter + TimeSpan.FromSeconds(1));

    /// <summary>A merge's watchdog: the merge is brought to rest, or looked at again later if still running.</summary>
    private async Task WatchMergeAsync(IngestMessage message, string mergeId, CancellationToken ct)
    {
        try
        {
            await merges.ResolveAsync(mergeId, ct);
        }
        catch (ConflictException)
        {
            await LaterAsync(message, ct);
        }
    }

    /// <summary>Stores a record whose request died after queueing it. False when it cannot be stored.</summary>
    private async Task<bool> StoreSnapshotAsync(Lead snapshot, IReadOnlyList<LogEntry> log, CancellationToken ct)
    {
        try
        {
            await leads.InsertAsync(snapshot, log, ct);
            return true;
        }
        catch (Exception e) when (e is RecordTooLargeException || e is RequestFailedException { Status: 400 })
        {
            // Its request answered an error for the same reason and the client knows it was not stored.
            logger.LogWarning(e, "Record {LeadId} from an ingest message cannot be stored; dropping the message", snapshot.Id);
            return false;
        }
    }

    private async Task<(HashSet<string> Ids, HashSet<MatchKey> Crowded)> CandidatesAsync(
        string id, IReadOnlyList<MatchKey> keys, IReadOnlyList<MatchKey> before, ConcurrentBag<EdgeWrite> written, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var crowded = new HashSet<MatchKey>();
        var lookups = keys.Select(async key =>
        {
            var limit = Similarity.Crowds(key.Rule) ? Similarity.CrowdedDomainThreshold + 2 : MaxMembersPerKey;
            return (Key: key, Read: await index.ReadKeyAsync(MatchIndex.PartitionOf(key), limit, ct));
        });
        foreach (var (key, (members, marked)) in await Task.WhenAll(lookups))
        {
            if (Similarity.Crowds(key.Rule) && (marked || Similarity.IsCrowded(members.Count)))
            {
                crowded.Add(key);
                if (!marked)
                {
                    await MarkCrowdedAsync(id, key, written, ct);
                }
                continue;
            }
            ids.UnionWith(members.Where(m => m != id));
        }
        foreach (var left in before.Except(keys).Where(k => Similarity.Crowds(k.Rule)))
        {
            // This record left a crowded domain or name: the ones that stay may match on it again.
            // Rare (a record re-emailed or merged away from a domain of exactly 21), so they are
            // checked again rather than relinked pair by pair here.
            var (members, marked) = await index.ReadKeyAsync(MatchIndex.PartitionOf(left), Similarity.CrowdedDomainThreshold, ct);
            if (marked && !Similarity.IsCrowded(members.Count))
            {
                await RecheckAsync(members, ct);
                await index.RemoveAsync(MatchIndex.PartitionOf(left), MatchIndex.CrowdedMarker, ct);
            }
        }
        return (ids, crowded);
    }

    /// <summary>
    /// A domain or name found crowded and not marked yet: every member drops the rule from its
    /// edges (one write each), then the key is marked, so that later records skip this. Every
    /// check that finds it unmarked does it (a few at the same moment, idempotently), so that a
    /// record that linked on the key before it was crowded never keeps the link: it linked before
    /// reading the key again, and either it saw the crowd then, or the record that made it did
    /// this after.
    /// </summary>
    private async Task MarkCrowdedAsync(string id, MatchKey key, ConcurrentBag<EdgeWrite> written, CancellationToken ct)
    {
        var partition = MatchIndex.PartitionOf(key);
        var everyone = await index.MembersAsync(partition, MaxMembersPerKey, ct);
        Collect(written, await Task.WhenAll(everyone.Where(m => m != id)
            .Select(m => edges.ApplyAsync(m, null, member => Task.FromResult(DropCrowded(key, member)), ct))));
        await index.AddAsync(partition, MatchIndex.CrowdedMarker, ct);
    }

    private async Task<List<(LeadHead Head, IReadOnlyList<MatchRule> On)>> MatchAsync(Lead lead,
        IReadOnlyList<MatchKey> keys, IEnumerable<string> candidateIds, DuplicateRules rules,
        HashSet<MatchKey> crowded, Dictionary<string, string?> companies, CancellationToken ct)
    {
        // The partition heads, not just the records: the write that links a neighbour needs its edges.
        var candidates = await Task.WhenAll(candidateIds.Select(id => leads.ReadHeadAsync(id, ct)));
        var matches = new List<(LeadHead, IReadOnlyList<MatchRule>)>();
        foreach (var other in candidates)
        {
            // The index may still hold a record that changed or was merged since: judge it as it is now.
            if (other is null || other.Lead.Status == LeadStatus.Merged || other.Dismissed.Contains(lead.Id))
            {
                continue;
            }
            var otherKeys = matchKeys.Of(other.Lead, await CompanyOfAsync(other.Lead.CustomerId, companies, ct));
            var on = Similarity.MatchedOn(keys, otherKeys, rules, crowded.Contains);
            if (on.Count > 0)
            {
                matches.Add((other, on));
            }
        }
        return matches;
    }

    /// <summary>
    /// The company customer a linked customer belongs to (itself for a company, a person's
    /// company): leads of one company are colleagues whether linked to it or to one of its people.
    /// </summary>
    private async Task<string?> CompanyOfAsync(string? customerId, Dictionary<string, string?> companies, CancellationToken ct)
    {
        if (customerId is null)
        {
            return null;
        }
        if (!companies.TryGetValue(customerId, out var company))
        {
            var customer = await directory.FindAsync<Customer>(customerId, ct);
            company = customer is null ? null : customer.Kind == CustomerKind.Company ? customer.Id : customer.CompanyId;
            companies[customerId] = company;
        }
        return company;
    }

    private async Task RecheckAsync(IEnumerable<string> ids, CancellationToken ct) =>
        await Task.WhenAll(ids.Select(id => queue.SendAsync(new IngestMessage(id, Ids.New()), ct)));

    /// <param name="foundBy">Set on a neighbour's entry: the record whose check found the pair (and tells it as its event).</param>
    private static LogEntry FlaggedEntry(string checkId, string leadId, DateTimeOffset at,
        IEnumerable<(Lead Other, IReadOnlyList<MatchRule> On)> found, string? foundBy = null)
    {
        var matches = found.ToList();
        var similar = new JsonArray();
        foreach (var (other, on) in matches)
        {
            similar.Add(new JsonObject
            {
                ["id"] = other.Id,
                ["matchedOn"] = new JsonArray(on.Select(r => (JsonNode)JsonValue.Create(LeadRows.Wire(r))).ToArray()),
            });
        }
        return new LogEntry
        {
            // The check's id: a second run of the same check writes the same entry, not another one.
            Id = checkId,
            LeadId = leadId,
            At = at,
            Kind = LogKind.DuplicateFlagged,
            Message = matches.Count == 1 ? "1 similar record found." : $"{matches.Count} similar records found.",
            Data = foundBy is null ? new JsonObject { ["similar"] = similar } : new JsonObject { ["similar"] = similar, ["foundBy"] = foundBy },
        };
    }
}
