using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Matching;

/// <summary>
/// The pairs a merge counts as merged for the rules that flagged them (observed precision): each
/// record merged away with the survivor when the two were flagged, else with another record of the
/// merge it was flagged with; each pair once. A record flagged with none of them counts nothing:
/// the team merged it on its own judgement, not on a rule's.
/// </summary>
public static class MergedPairs
{
    /// <param name="edges">Each merged record's pairs (its similar records) as they were when it was merged.</param>
    /// <returns>The rules of every counted pair, a rule once per pair it flagged.</returns>
    public static IReadOnlyList<MatchRule> RulesOf(string survivorId, IReadOnlyList<string> mergedIds, IReadOnlyDictionary<string, IReadOnlyList<SimilarRecord>> edges)
    {
        var inMerge = mergedIds.Append(survivorId).ToHashSet(StringComparer.Ordinal);
        var counted = new HashSet<(string, string)>();
        var rules = new List<MatchRule>();
        foreach (var id in mergedIds)
        {
            var own = edges.GetValueOrDefault(id) ?? [];
            // Two records each flagged only with the other would otherwise count their pair twice.
            var edge = own.FirstOrDefault(e => e.Id == survivorId)
                ?? own.FirstOrDefault(e => e.Id != id && inMerge.Contains(e.Id) && !counted.Contains(Pair(id, e.Id)));
            if (edge is not null)
            {
                counted.Add(Pair(id, edge.Id));
                rules.AddRange(edge.MatchedOn);
            }
        }
        return rules;
    }

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
}
