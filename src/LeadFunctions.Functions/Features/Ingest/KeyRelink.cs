using System.Collections.Concurrent;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>
/// The relink of a key (SPEC 4.2): a check writes its pair onto at most
/// <see cref="IngestProcessor.MaxNeighbourWrites"/> neighbours and marks the key; this writes onto
/// each record under the key, in one write each, every pair the rules make with the others under
/// it, and takes away the pairs they no longer make. It judges the records as they are now, the
/// way their own checks would, so running it twice writes nothing the second time.
/// </summary>
public sealed class KeyRelink(
    LeadStore leads,
    DirectoryStore directory,
    MatchIndex index,
    RelinkMarkers markers,
    MatchKeys matchKeys,
    PairScorer scorer,
    Neighbours neighbours,
    SimilarEdges edges,
    LeadList list,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<KeyRelink> logger)
{
    public async Task RunAsync(RelinkMessage message, CancellationToken ct)
    {
        if (await leads.ReadAsync(message.Relink, ct) is not { } row)
        {
            // Its keys went with it; a marker it leaves is taken over by the next check that needs one.
            logger.LogInformation("Record {LeadId} no longer exists; its relinks are left to the next check", message.Relink);
            return;
        }
        foreach (var key in row.IndexedKeys.Where(k => k.Rule == message.Rule))
        {
            var partition = MatchIndex.PartitionOf(key);
            // Each marked key names the record whose message runs its relink: one relink per key.
            if (await markers.ReadAsync(partition, ct) is not { } marker || marker.LeadId != message.Relink)
            {
                continue;
            }
            var written = await RelinkAsync(key, partition, ct);
            await markers.EndOrAgainAsync(key, marker, options.Value.RelinkAfter, ct);
            logger.LogInformation("Relinked a {Rule} key of record {LeadId}: {Written} records written", key.Rule, message.Relink, written);
        }
    }

    private async Task<int> RelinkAsync(MatchKey key, string partition, CancellationToken ct)
    {
        var read = await index.ReadKeyAsync(partition, Neighbours.MaxMembersPerKey, ct);
        if (Neighbours.IsCrowded(key, read))
        {
            // Pairs on it do not count; crowding took them away.
            return 0;
        }
        var rules = (await directory.GetSettingsCachedAsync(ct)).DuplicateRules;
        var companies = new Dictionary<string, string?>(StringComparer.Ordinal);
        var members = await ReadAsync(read.Ids, companies, ct);
        // Records a member still holds a pair with on this key but which left it: judged again too.
        var outsiders = await ReadAsync(members.Values.SelectMany(m => m.Head.Edges)
            .Where(e => e.MatchedOn.Contains(key.Rule) && !members.ContainsKey(e.Id)).Select(e => e.Id).Distinct(StringComparer.Ordinal),
            companies, ct);
        var crowded = await CrowdedAmongAsync(members.Values.Concat(outsiders.Values).Select(m => m.Keys), key, ct);

        var written = new ConcurrentBag<EdgeWrite>();
        Neighbours.Collect(written, await Task.WhenAll(members.Values.Select(member =>
            edges.ApplyAsync(member.Head.Lead.Id, member.Head, async now =>
            {
                var nowKeys = matchKeys.Of(now.Lead, await neighbours.CompanyOfAsync(now.Lead.CustomerId, companies, ct));
                var judged = members.Values.Where(o => o.Head.Lead.Id != now.Lead.Id)
                    .Concat(outsiders.Values.Where(o => now.Edges.Any(e => e.Id == o.Head.Lead.Id)));
                return Pairs(now, nowKeys, judged, rules, crowded);
            }, ct))));
        if (Similarity.Crowds(key.Rule) && Neighbours.IsCrowded(key, await index.ReadKeyAsync(partition, Similarity.CrowdedDomainThreshold, ct)))
        {
            // Crowded while it ran, as a check can find after its writes: the rule goes from what it wrote.
            Neighbours.Collect(written, await Task.WhenAll(members.Keys.Select(id =>
                edges.ApplyAsync(id, null, member => Task.FromResult(neighbours.DropCrowded(key, member)), ct))));
        }
        await list.ProjectAsync(written.Select(w => w.Listing), ct);
        return written.Count;
    }

    /// <summary>The pairs one record should hold with the others judged, as one write.</summary>
    private EdgeChange Pairs(LeadHead record, IReadOnlyList<MatchKey> keys, IEnumerable<Member> others, DuplicateRules rules, HashSet<MatchKey> crowded)
    {
        var upserts = new List<SimilarRecord>();
        var deletes = new List<string>();
        var found = new List<(Lead, IReadOnlyList<MatchRule>)>();
        foreach (var other in others)
        {
            var id = other.Head.Lead.Id;
            var score = scorer.Score(record.Lead, other.Head.Lead);
            var on = other.Head.Lead.Status == LeadStatus.Merged || record.Dismissed.Contains(id) || other.Head.Dismissed.Contains(record.Lead.Id)
                ? []
                : Similarity.MatchedOn(keys, other.Keys, rules, crowded.Contains, score);
            var held = record.Edges.Any(e => e.Id == id);
            if (on.Count == 0)
            {
                if (held)
                {
                    deletes.Add(id);
                }
                continue;
            }
            upserts.Add(SimilarRecord.Of(other.Head.Lead, on, score));
            if (!held && !record.Lead.DuplicateCheck.SimilarIds.Contains(id))
            {
                found.Add((other.Head.Lead, on));
            }
        }
        // Told as the finding record's news (foundBy), as a neighbour's write by a check is.
        var logs = found.Count == 0 ? new List<LogEntry>()
            : [FlaggedEntries.Of(Ids.New(), record.Lead.Id, clock.GetUtcNow(), found, foundBy: found[^1].Item1.Id)];
        return new EdgeChange(upserts, deletes, logs);
    }

    private sealed record Member(LeadHead Head, IReadOnlyList<MatchKey> Keys);

    private async Task<Dictionary<string, Member>> ReadAsync(IEnumerable<string> ids, Dictionary<string, string?> companies, CancellationToken ct)
    {
        var heads = await Task.WhenAll(ids.Select(id => leads.ReadHeadAsync(id, ct)));
        var read = new Dictionary<string, Member>(StringComparer.Ordinal);
        foreach (var head in heads.OfType<LeadHead>())
        {
            read[head.Lead.Id] = new Member(head, matchKeys.Of(head.Lead, await neighbours.CompanyOfAsync(head.Lead.CustomerId, companies, ct)));
        }
        return read;
    }

    /// <summary>The domains and names two or more of the records share that are crowded: one read each.</summary>
    private async Task<HashSet<MatchKey>> CrowdedAmongAsync(IEnumerable<IReadOnlyList<MatchKey>> keySets, MatchKey relinked, CancellationToken ct)
    {
        var shared = keySets.SelectMany(keys => keys.Distinct()).Where(k => Similarity.Crowds(k.Rule) && k != relinked)
            .GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var reads = await Task.WhenAll(shared.Select(async k =>
            (Key: k, Read: await index.ReadKeyAsync(MatchIndex.PartitionOf(k), Similarity.CrowdedDomainThreshold, ct))));
        return reads.Where(r => Neighbours.IsCrowded(r.Key, r.Read)).Select(r => r.Key).ToHashSet();
    }
}
