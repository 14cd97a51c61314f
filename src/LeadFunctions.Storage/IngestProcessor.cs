using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Storage.Merging;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Storage;

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
    MergeService merges,
    TimeProvider clock,
    ILogger<IngestProcessor> logger)
{
    /// <summary>More records than this under one key are not read: such a key says little.</summary>
    private const int MaxMembersPerKey = 200;
    private const int MaxAttempts = 5;

    /// <summary>
    /// Deliveries after which a change that has still not landed is taken as never made (its
    /// request failed or died before writing); the record is then checked as it is.
    /// </summary>
    public const int DeliveriesToAwaitChange = 3;

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
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ProcessOnceAsync(message, dequeueCount, ct);
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // The record changed while it was checked: check it again as it is now.
                logger.LogInformation("Record {LeadId} changed during its check; checking again", message.LeadId);
            }
        }
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
        await index.SyncAsync(lead.Id, before, keys, ct);

        var (candidateIds, crowded) = await CandidatesAsync(lead.Id, keys, before, ct);
        candidateIds.ExceptWith(head.Dismissed);
        var matches = await MatchAsync(keys, candidateIds, settings.DuplicateRules, crowded, companies, ct);

        await WriteEdgesAsync(lead, head.Edges, matches, ct);

        var previous = lead.DuplicateCheck.SimilarIds.ToHashSet(StringComparer.Ordinal);
        var similarIds = matches.Select(m => m.Other.Id).Order(StringComparer.Ordinal).ToList();
        if (lead.DuplicateCheck.Status == DuplicateCheckStatus.Done && previous.SetEquals(similarIds)
            && etag == head.Row.ETag && before.ToHashSet().SetEquals(keys))
        {
            // Nothing to record: leaving the record alone keeps its version (and clients' If-Match) valid.
            return;
        }
        var now = clock.GetUtcNow();
        lead.DuplicateCheck = new DuplicateCheck
        {
            Status = DuplicateCheckStatus.Done,
            SimilarCount = similarIds.Count,
            SimilarIds = similarIds,
            CheckedAt = now,
        };
        var logs = new List<LogEntry>();
        if (similarIds.Any(id => !previous.Contains(id)))
        {
            logs.Add(FlaggedEntry(message.CheckId, lead.Id, now, matches));
        }
        await leads.UpdateAsync(lead, etag, logs, ct, keys, message.CheckId);
    }

    /// <summary>
    /// One page of the sweep: a check for each record (merged ones have no keys and are left out),
    /// then the sweep of the next page. A page handled twice only checks its records twice, which is harmless.
    /// </summary>
    private async Task SweepAsync(string token, CancellationToken ct)
    {
        var page = await leads.ListRowsAsync(new LeadQuery(null, null, null, null, null), SweepPageSize, token.Length == 0 ? null : token, ct);
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
        string id, IReadOnlyList<MatchKey> keys, IReadOnlyList<MatchKey> before, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var crowded = new HashSet<MatchKey>();
        var lookups = keys.Select(async key =>
        {
            var limit = Similarity.Crowds(key.Rule) ? Similarity.CrowdedDomainThreshold + 2 : MaxMembersPerKey;
            return (Key: key, Members: await index.MembersAsync(MatchIndex.PartitionOf(key), limit, ct));
        });
        foreach (var (key, members) in await Task.WhenAll(lookups))
        {
            if (Similarity.Crowds(key.Rule) && Similarity.IsCrowded(members.Count))
            {
                crowded.Add(key);
                // This record (perhaps with one arriving at the same time) made the domain or name
                // crowded: the others' matches on it stop counting.
                if (!before.Contains(key) && members.Count <= Similarity.CrowdedDomainThreshold + 1)
                {
                    await RecheckAsync(members.Where(m => m != id), ct);
                }
                continue;
            }
            ids.UnionWith(members.Where(m => m != id));
        }
        foreach (var left in before.Except(keys).Where(k => Similarity.Crowds(k.Rule)))
        {
            // This record left a crowded domain or name: the ones that stay may match on it again.
            var members = await index.MembersAsync(MatchIndex.PartitionOf(left), Similarity.CrowdedDomainThreshold, ct);
            if (members.Count == Similarity.CrowdedDomainThreshold - 1)
            {
                await RecheckAsync(members, ct);
            }
        }
        return (ids, crowded);
    }

    private async Task<List<(Lead Other, IReadOnlyList<MatchRule> On)>> MatchAsync(
        IReadOnlyList<MatchKey> keys, IEnumerable<string> candidateIds, DuplicateRules rules,
        HashSet<MatchKey> crowded, Dictionary<string, string?> companies, CancellationToken ct)
    {
        var candidates = await Task.WhenAll(candidateIds.Select(id => leads.FindAsync(id, ct)));
        var matches = new List<(Lead, IReadOnlyList<MatchRule>)>();
        foreach (var other in candidates)
        {
            // The index may still hold a record that changed or was merged since: judge it as it is now.
            if (other is null || other.Status == LeadStatus.Merged)
            {
                continue;
            }
            var otherKeys = matchKeys.Of(other, await CompanyOfAsync(other.CustomerId, companies, ct));
            var on = Similarity.MatchedOn(keys, otherKeys, rules, crowded.Contains);
            if (on.Count > 0)
            {
                matches.Add((other, on));
            }
        }
        return matches;
    }

    /// <summary>
    /// Edges on both sides. A neighbour gaining or losing this record is queued for a check of
    /// its own, so that its duplicateCheck agrees with its similar records.
    /// </summary>
    private async Task WriteEdgesAsync(Lead lead, IReadOnlyList<SimilarRecord> oldEdges,
        List<(Lead Other, IReadOnlyList<MatchRule> On)> matches, CancellationToken ct)
    {
        var own = new List<TableTransactionAction>();
        var writes = new List<Task>();
        var recheck = new List<string>();
        foreach (var (other, on) in matches)
        {
            own.Add(new(TableTransactionActionType.UpsertReplace, LeadRows.Edge(lead.Id, SimilarRecord.Of(other, on))));
            writes.Add(leads.UpsertAsync(LeadRows.Edge(other.Id, SimilarRecord.Of(lead, on)), ct));
            if (!other.DuplicateCheck.SimilarIds.Contains(lead.Id))
            {
                recheck.Add(other.Id);
            }
        }
        var kept = matches.Select(m => m.Other.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in oldEdges.Where(e => !kept.Contains(e.Id)))
        {
            // Not in the transaction: the other side's ingest may have deleted it already, and a
            // missing row would fail the whole transaction.
            writes.Add(leads.DeleteIfExistsAsync(lead.Id, StorageNames.EdgePrefix + gone.Id, ct));
            writes.Add(leads.DeleteIfExistsAsync(gone.Id, StorageNames.EdgePrefix + lead.Id, ct));
            recheck.Add(gone.Id);
        }
        await Task.WhenAll(writes);
        await leads.SubmitAsync(own, ct);
        await RecheckAsync(recheck, ct);
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

    private static LogEntry FlaggedEntry(string checkId, string leadId, DateTimeOffset at,
        List<(Lead Other, IReadOnlyList<MatchRule> On)> matches)
    {
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
            Data = new JsonObject { ["similar"] = similar },
        };
    }
}
