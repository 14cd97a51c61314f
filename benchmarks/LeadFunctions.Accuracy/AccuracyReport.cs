namespace LeadFunctions.Accuracy;

/// <summary>A pair of records a detector calls similar (indexes into the labelled set, A &lt; B), with the rules it matched on.</summary>
public sealed record FoundPair(int A, int B, IReadOnlyList<string> Rules);

/// <summary>Precision, recall and F1 of one rule (or of all together), from counted pairs.</summary>
public sealed record RuleScore(string Rule, int Found, int TruePositives, int TruePairs)
{
    public double Precision => Found == 0 ? 1 : (double)TruePositives / Found;

    public double Recall => TruePairs == 0 ? 1 : (double)TruePositives / TruePairs;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>How many pairs of one kind exist, and how many of them a detector found.</summary>
public sealed record Tally(string Kind, int Pairs, int Found)
{
    public double Share => Pairs == 0 ? 0 : (double)Found / Pairs;
}

/// <summary>
/// A detector's pairs held against the labels: overall and per rule; the recall of each variation
/// (pairs of a cluster's first record and a later one made with it); and how many pairs of each
/// hard-negative kind (a negative and the cluster it resembles) it wrongly found.
/// </summary>
public sealed record AccuracyReport(RuleScore Overall, IReadOnlyList<RuleScore> Rules, IReadOnlyList<Tally> Variations, IReadOnlyList<Tally> HardNegatives)
{
    public static AccuracyReport Of(IReadOnlyList<LabelledRecord> records, IEnumerable<FoundPair> found)
    {
        ArgumentNullException.ThrowIfNull(records);
        var pairs = found.ToDictionary(p => (Math.Min(p.A, p.B), Math.Max(p.A, p.B)), p => p.Rules);
        var truePairs = records.GroupBy(r => r.Cluster).Sum(g => g.Count() * (g.Count() - 1) / 2);
        bool Same((int A, int B) pair) => records[pair.A].Cluster == records[pair.B].Cluster;

        var overall = new RuleScore("all rules", pairs.Count, pairs.Keys.Count(Same), truePairs);
        var rules = pairs.SelectMany(p => p.Value.Select(rule => (Rule: rule, p.Key))).GroupBy(x => x.Rule)
            .Select(g => new RuleScore(g.Key, g.Count(), g.Count(x => Same(x.Key)), truePairs))
            .OrderBy(r => r.Rule, StringComparer.Ordinal).ToList();

        var firstOf = records.Where(r => !r.IsVariant && r.Negative is null).GroupBy(r => r.Cluster).ToDictionary(g => g.Key, g => g.First().Index);
        bool Found(int a, int b) => pairs.ContainsKey((Math.Min(a, b), Math.Max(a, b)));
        var variations = records.Where(r => r.IsVariant && firstOf.ContainsKey(r.Cluster))
            .SelectMany(r => r.Variations.Select(v => (Variation: v, Found: Found(firstOf[r.Cluster], r.Index))))
            .GroupBy(x => x.Variation).OrderBy(g => g.Key)
            .Select(g => new Tally(g.Key.ToString(), g.Count(), g.Count(x => x.Found))).ToList();

        var byCluster = records.ToLookup(r => r.Cluster);
        var negatives = records.Where(r => r.Negative is not null && r.Resembles is not null)
            .SelectMany(n => byCluster[n.Resembles!.Value].Select(other => (Kind: n.Negative!.Value, Found: Found(n.Index, other.Index))))
            .GroupBy(x => x.Kind).OrderBy(g => g.Key)
            .Select(g => new Tally(g.Key.ToString(), g.Count(), g.Count(x => x.Found))).ToList();
        return new AccuracyReport(overall, rules, variations, negatives);
    }
}
