using System.Diagnostics;
using System.Text.Json.Nodes;
using LeadFunctions.Accuracy;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Benchmarks;

// SPEC 8 Accuracy: the labelled set (LeadFunctions.Accuracy) stored through POST /leads and
// checked by the local host's ingest at 1,000 records, its pairs read back from
// GET /leads/{id}/similar; and the same rules over an index in memory at both sizes, checked
// against the local host's pairs at 1,000 (ingesting 100,000 through the host would take hours).
public sealed partial class Measures
{
    private const int LabelledSmall = 1_000;
    private const int LabelledConcurrency = 16;

    public async Task AccuracyAsync(BenchHost host, CancellationToken ct)
    {
        var records = LabelledGenerator.Generate(LabelledSmall);
        var ids = await StoreLabelledAsync(host, records, ct);
        var index = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var through = new List<FoundPair>();
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = LabelledConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var similar = await host.GetAsync($"leads/{ids[i]}/similar", token);
            foreach (var item in similar["items"]!.AsArray().OfType<JsonObject>())
            {
                var j = index[item["id"]!.GetValue<string>()];
                if (i < j)
                {
                    lock (through)
                    {
                        through.Add(new FoundPair(i, j, item["matchedOn"]!.AsArray().Select(r => r!.GetValue<string>()).ToList()));
                    }
                }
            }
        });
        var phones = host.Services.GetRequiredService<PhoneNumbers>();
        var rules = new DuplicateRules();
        var modelled = InMemoryDetection.Find(records, rules, phones);
        var (disagree, shown) = Disagreement(through, modelled);
        AddAccuracy($"{LabelledSmall:N0} labelled records, through the local host", records, through,
            $"stored by POST /leads at concurrency {LabelledConcurrency}, checked by ingest, pairs read from GET /leads/{{id}}/similar; "
            + $"the in-memory index finds the same pairs with the same rules for {PairsIn(through, modelled) - disagree:N0} of {PairsIn(through, modelled):N0} ({disagree} differ{(disagree == 0 ? "" : ": " + shown)})");

        var many = LabelledGenerator.Generate(large);
        var clock = Stopwatch.StartNew();
        var manyPairs = InMemoryDetection.Find(many, rules, phones);
        AddAccuracy($"{large:N0} labelled records, in-memory index", many, manyPairs, $"the same rules and keys over an index in memory, {clock.Elapsed.TotalSeconds:0.#} s");
    }

    private static async Task<List<string>> StoreLabelledAsync(BenchHost host, IReadOnlyList<LabelledRecord> records, CancellationToken ct)
    {
        var ids = new string[records.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, records.Count), new ParallelOptions { MaxDegreeOfParallelism = LabelledConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var r = records[i];
            try
            {
                var stored = await host.PostAsync("leads", new { name = r.Name, contactName = r.ContactName, email = r.Email, phone = r.Phone, companyName = r.CompanyName, country = r.Country }, token);
                ids[i] = stored["id"]!.GetValue<string>();
            }
            catch (HttpRequestException e)
            {
                // The generator made a record the API refuses: say which, so that the generator can be mended.
                throw new InvalidOperationException($"Labelled record {r} was refused: {e.Message}", e);
            }
        });
        var clock = Stopwatch.StartNew();
        while (ids.Any(id => host.Checked.FirstCheckedAt(id) is null) && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(250, ct);
        }
        return [.. ids];
    }

    /// <summary>The pairs either found.</summary>
    private static int PairsIn(IReadOnlyList<FoundPair> a, IReadOnlyList<FoundPair> b) => a.Select(p => (p.A, p.B)).Union(b.Select(p => (p.A, p.B))).Count();

    /// <summary>Pairs found by one and not the other, or found by both on other rules, with the first few named.</summary>
    private static (int Count, string Shown) Disagreement(IReadOnlyList<FoundPair> a, IReadOnlyList<FoundPair> b)
    {
        static Dictionary<(int, int), string> Keyed(IEnumerable<FoundPair> pairs) => pairs.ToDictionary(p => (p.A, p.B), p => string.Join(',', p.Rules.Order(StringComparer.Ordinal)));
        var (x, y) = (Keyed(a), Keyed(b));
        var differ = x.Keys.Union(y.Keys).Where(k => x.GetValueOrDefault(k) != y.GetValueOrDefault(k)).ToList();
        var shown = string.Join("; ", differ.Take(3).Select(k => $"records {k.Item1} and {k.Item2}: [{x.GetValueOrDefault(k)}] against [{y.GetValueOrDefault(k)}]"));
        return (differ.Count, shown);
    }

    private void AddAccuracy(string set, IReadOnlyList<LabelledRecord> records, IReadOnlyList<FoundPair> found, string note)
    {
        var report = AccuracyReport.Of(records, found);
        figures.AddAccuracy(set, report);
        var overall = report.Overall;
        figures.Add(new Figure($"duplicate detection precision, {set}", overall.Precision, "", null, "0.98 or more", overall.Precision >= 0.98, note));
        figures.Add(new Figure($"duplicate detection recall, {set}", overall.Recall, "", null, "0.95 or more", overall.Recall >= 0.95,
            $"{overall.TruePositives:N0} of {overall.TruePairs:N0} true pairs found, {overall.Found - overall.TruePositives:N0} false pairs"));
    }
}
