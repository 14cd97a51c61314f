using System.Collections.Concurrent;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>
/// A check's reads of the records around it: the records sharing one of its keys (keys found
/// crowded are marked and stop counting), those the rules match, and the company a record's
/// customer belongs to. Only the team's records crowd a key (SPEC 4.2): anonymous captures are
/// indexed after them and not counted, so that a visitor cannot switch a rule off for the team.
/// </summary>
public sealed class Neighbours(LeadStore leads, DirectoryStore directory, MatchIndex index, RelinkMarkers relinks, IOptions<IngestOptions> options,
    MatchKeys matchKeys, PairScorer scorer, SimilarEdges edges)
{
    /// <summary>A relink not ended this long after it was due lost its message (or its record) and is queued again.</summary>
    private static readonly TimeSpan RelinkLost = TimeSpan.FromMinutes(2);

    /// <summary>More records than this under one key are not read: such a key says little.</summary>
    public const int MaxMembersPerKey = 200;

    /// <summary>
    /// Whether the key's pairs stop counting: a domain or name held by 21 of the team's records or
    /// more. The team's rows come first, so a read of 21 rows counts them exactly; the marker only
    /// says that the members have dropped the rule.
    /// </summary>
    public static bool IsCrowded(MatchKey key, KeyMembers read) =>
        Similarity.Crowds(key.Rule) && Similarity.IsCrowded(read.TeamCount);

    /// <summary>Makes sure the key's relink writes the pairs left on its records (<see cref="KeyRelink"/>).</summary>
    public Task DeferRelinkAsync(string leadId, IEnumerable<MatchKey> keys, CancellationToken ct) =>
        relinks.DeferAsync(leadId, keys, options.Value.RelinkAfter, RelinkLost, ct);

    public async Task<(HashSet<string> Ids, HashSet<MatchKey> Crowded)> CandidatesAsync(
        string id, IReadOnlyList<MatchKey> keys, IReadOnlyList<MatchKey> before, ConcurrentBag<EdgeWrite> written, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var crowded = new HashSet<MatchKey>();
        // Every member, not just enough to count: anonymous captures under a key the team has not
        // crowded are candidates too, after the team's records.
        var lookups = keys.Select(async key => (Key: key, Read: await index.ReadKeyAsync(MatchIndex.PartitionOf(key), MaxMembersPerKey, ct)));
        var uncrowded = new List<MatchKey>();
        foreach (var (key, read) in await Task.WhenAll(lookups))
        {
            if (IsCrowded(key, read))
            {
                crowded.Add(key);
                if (!read.MarkedCrowded)
                {
                    await MarkCrowdedAsync(id, key, written, ct);
                }
                continue;
            }
            if (read.MarkedCrowded)
            {
                // Marked when more records held it (or when captures still counted): the rule
                // counts again, and the key's relink gives its records back the pairs on it.
                await index.RemoveAsync(MatchIndex.PartitionOf(key), MatchIndex.CrowdedMarker, ct);
                uncrowded.Add(key);
            }
            ids.UnionWith(read.Ids.Where(m => m != id));
        }
        await DeferRelinkAsync(id, uncrowded, ct);
        foreach (var left in before.Except(keys))
        {
            // The records that stay under a key this record left: a domain or name no longer
            // crowded gets its pairs back from a relink, and a relink this record was to run is
            // handed to one of them (its message finds the record no longer under the key).
            var partition = MatchIndex.PartitionOf(left);
            var read = await index.ReadKeyAsync(partition, Similarity.CrowdedDomainThreshold, ct);
            if (read.Ids.FirstOrDefault(m => m != id) is not { } stays)
            {
                continue;
            }
            if (read.MarkedCrowded && !IsCrowded(left, read))
            {
                await index.RemoveAsync(partition, MatchIndex.CrowdedMarker, ct);
                await DeferRelinkAsync(stays, [left], ct);
            }
            else if (read.RelinkWaiting)
            {
                await relinks.HandOverAsync(left, id, stays, options.Value.RelinkAfter, ct);
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
    public async Task MarkCrowdedAsync(string id, MatchKey key, ConcurrentBag<EdgeWrite> written, CancellationToken ct)
    {
        var partition = MatchIndex.PartitionOf(key);
        var everyone = await index.MembersAsync(partition, MaxMembersPerKey, ct);
        Collect(written, await Task.WhenAll(everyone.Where(m => m != id)
            .Select(m => edges.ApplyAsync(m, null, member => Task.FromResult(DropCrowded(key, member)), ct))));
        await index.AddAsync(partition, MatchIndex.CrowdedMarker, ct);
    }

    /// <summary>
    /// The candidates the rules match, and the ids of those that do not but still hold a pair with
    /// the record (written by its check while the record's own side waited for a relink).
    /// </summary>
    public async Task<(List<(LeadHead Head, IReadOnlyList<MatchRule> On, PairScore Score)> Matches, List<string> Stale)> MatchAsync(Lead lead,
        IReadOnlyList<MatchKey> keys, IEnumerable<string> candidateIds, DuplicateRules rules,
        HashSet<MatchKey> crowded, Dictionary<string, string?> companies, CancellationToken ct)
    {
        // The partition heads, not just the records: the write that links a neighbour needs its
        // edges. Past the neighbours a check writes onto, the records alone (their pairs with each
        // other make a key's partitions grow with the square of its records); a write reads its head.
        var ids = candidateIds.ToList();
        var candidates = ids.Count <= IngestProcessor.MaxNeighbourWrites
            ? await Task.WhenAll(ids.Select(id => leads.ReadHeadAsync(id, ct)))
            : (await Task.WhenAll(ids.Select(id => leads.ReadAsync(id, ct)))).Select(row => row is null ? null : LeadHead.RecordOnly(row)).ToArray();
        var matches = new List<(LeadHead, IReadOnlyList<MatchRule>, PairScore)>();
        var stale = new List<string>();
        foreach (var other in candidates.OfType<LeadHead>())
        {
            // The index may still hold a record that changed or was merged since: judge it as it is now.
            var score = scorer.Score(lead, other.Lead);
            var on = other.Lead.Status == LeadStatus.Merged || other.Dismissed.Contains(lead.Id)
                ? []
                : Similarity.MatchedOn(keys, matchKeys.Of(other.Lead, await CompanyOfAsync(other.Lead.CustomerId, companies, ct)), rules, crowded.Contains, score);
            if (on.Count > 0)
            {
                matches.Add((other, on, score));
            }
            else if (other.Lead.Status != LeadStatus.Merged
                && (other.EdgesRead ? other.Edges.Any(e => e.Id == lead.Id) : other.Lead.DuplicateCheck.SimilarIds.Contains(lead.Id)))
            {
                // Unread edges: the record's similar ids (written with its edges, in one
                // transaction) say whether it holds the pair. Every candidate of a key that most
                // candidates do not match (a domain full of colleagues) would otherwise cost a read.
                stale.Add(other.Lead.Id);
            }
        }
        return (matches, stale);
    }

    /// <summary>
    /// The company customer a linked customer belongs to (itself for a company, a person's
    /// company): leads of one company are colleagues whether linked to it or to one of its people.
    /// </summary>
    public async Task<string?> CompanyOfAsync(string? customerId, Dictionary<string, string?> companies, CancellationToken ct)
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

    /// <summary>
    /// A key that has just become crowded stops counting for the records already under it: each one
    /// drops the rule from its edges (and the edges that held on it alone), in one write.
    /// </summary>
    public EdgeChange DropCrowded(MatchKey crowdedKey, LeadHead member)
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

    public static void Collect(ConcurrentBag<EdgeWrite> into, IEnumerable<EdgeWrite?> writes)
    {
        foreach (var write in writes.OfType<EdgeWrite>())
        {
            into.Add(write);
        }
    }
}
