using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using DomainPhones = LeadFunctions.Domain.Matching.PhoneNumbers;

namespace LeadFunctions.Accuracy;

/// <summary>
/// The domain's matching rules over an index held in memory, as the stored index stands once every
/// check has settled: the same keys (<see cref="MatchKeys"/>), the same crowding of a domain or
/// name held by 21 records or more, the same scores and <see cref="Similarity.MatchedOn"/>. It measures sizes
/// that would take the local host hours to ingest; the benchmark checks it against the local host
/// at 1,000 records, pair for pair.
/// </summary>
public static class InMemoryDetection
{
    public static Lead ToLead(LabelledRecord record) => new()
    {
        Id = record.Index.ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
        Name = record.Name,
        ContactName = record.ContactName,
        Email = record.Email,
        Phone = record.Phone,
        CompanyName = record.CompanyName,
        Country = record.Country,
    };

    public static IReadOnlyList<FoundPair> Find(IReadOnlyList<LabelledRecord> records, DuplicateRules rules, DomainPhones phones)
    {
        ArgumentNullException.ThrowIfNull(records);
        var matchKeys = new MatchKeys(phones);
        var scorer = new PairScorer(phones);
        var leads = records.Select(ToLead).ToList();
        var keys = leads.Select(l => matchKeys.Of(l, null)).ToList();
        var members = new Dictionary<MatchKey, List<int>>();
        for (var i = 0; i < keys.Count; i++)
        {
            foreach (var key in keys[i])
            {
                if (!members.TryGetValue(key, out var list))
                {
                    members[key] = list = [];
                }
                list.Add(i);
            }
        }
        bool IsCrowded(MatchKey key) => Similarity.Crowds(key.Rule) && Similarity.IsCrowded(members[key].Count);
        var candidates = new HashSet<(int, int)>();
        foreach (var (key, holders) in members)
        {
            if (IsCrowded(key))
            {
                continue;
            }
            for (var a = 0; a < holders.Count; a++)
            {
                for (var b = a + 1; b < holders.Count; b++)
                {
                    candidates.Add((holders[a], holders[b]));
                }
            }
        }
        return candidates
            .Select(p => (p.Item1, p.Item2, On: Similarity.MatchedOn(keys[p.Item1], keys[p.Item2], rules, IsCrowded, scorer.Score(leads[p.Item1], leads[p.Item2]))))
            .Where(p => p.On.Count > 0)
            .Select(p => new FoundPair(p.Item1, p.Item2, p.On.Select(MatchKey.RuleName).ToList()))
            .ToList();
    }
}
